package tggateway_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"gatehouse/adapters/tggateway"
	"gatehouse/core/delivery"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

func newChannel(tb testing.TB, g *fakeGateway, mod func(*tggateway.Options)) (*tggateway.Channel, *[]time.Duration) {
	tb.Helper()
	o := tggateway.Options{Token: token, BaseURL: g.srv.URL}
	if mod != nil {
		mod(&o)
	}
	c, err := tggateway.New(o)
	if err != nil {
		tb.Fatal(err)
	}
	waits := new([]time.Duration)
	tggateway.SkipWaits(c, waits)
	return c, waits
}

func message(phone string, ttl time.Duration) ports.Message {
	return ports.Message{Recipient: phone, Code: "482913", TTL: ttl, Locale: identity.LocaleRU, Purpose: identity.PurposePhoneLogin}
}

func TestSend(t *testing.T) {
	const phone = "+79991234567"
	tests := []struct {
		name      string
		mod       func(*tggateway.Options)
		ttl       time.Duration
		wantCalls []string
		want      sentMessage
	}{
		{"plain send", nil, 5 * time.Minute, []string{"sendverificationmessage"},
			sentMessage{Phone: phone, Code: "482913", TTL: 300, RequestID: "req-1", Payload: "phone_login"}},
		{"ttl raised to the minimum", nil, 10 * time.Second, []string{"sendverificationmessage"},
			sentMessage{Phone: phone, Code: "482913", TTL: 30, RequestID: "req-1", Payload: "phone_login"}},
		{"ttl cut to the maximum", nil, 2 * time.Hour, []string{"sendverificationmessage"},
			sentMessage{Phone: phone, Code: "482913", TTL: 3600, RequestID: "req-1", Payload: "phone_login"}},
		{"check first, then a free send", func(o *tggateway.Options) { o.CheckAbility = true }, time.Minute,
			[]string{"checksendability", "sendverificationmessage"},
			sentMessage{Phone: phone, Code: "482913", TTL: 60, RequestID: "req-1", Payload: "phone_login"}},
		{"sender and callback", func(o *tggateway.Options) {
			o.SenderUsername, o.CallbackURL = "felmee", "https://id.example/hooks/tggateway"
		}, time.Minute, []string{"sendverificationmessage"},
			sentMessage{Phone: phone, Code: "482913", TTL: 60, RequestID: "req-1", Payload: "phone_login",
				Sender: "felmee", Callback: "https://id.example/hooks/tggateway"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newFakeGateway(t)
			c, _ := newChannel(t, g, tt.mod)
			res, err := c.Send(context.Background(), message(phone, tt.ttl))
			if err != nil || res != (ports.DeliveryResult{Channel: "tggateway", ID: tt.want.RequestID}) {
				t.Fatalf("Send = %+v, %v", res, err)
			}
			sent, calls := g.state()
			if !reflect.DeepEqual(calls, tt.wantCalls) || len(sent) != 1 || sent[0] != tt.want {
				t.Fatalf("calls %v, sent %+v; want %v, %+v", calls, sent, tt.wantCalls, tt.want)
			}
		})
	}
}

func TestSendFaults(t *testing.T) {
	const phone = "+79991234567"
	tests := []struct {
		name       string
		mod        func(*tggateway.Options)
		setup      func(*fakeGateway)
		phone      string
		wantReason string
		wantRetry  time.Duration
		wantWaits  []time.Duration
		wantSent   int
	}{
		{"checkSendAbility says no", func(o *tggateway.Options) { o.CheckAbility = true },
			func(g *fakeGateway) { g.unreachable[phone] = true }, phone, delivery.ReasonUnreachable, 0, nil, 0},
		{"send refuses the number", nil,
			func(g *fakeGateway) { g.unreachable[phone] = true }, phone, delivery.ReasonUnreachable, 0, nil, 0},
		{"wrong token", func(o *tggateway.Options) { o.Token = "wrong" }, nil, phone, "delivery.tggateway.unavailable", 0, nil, 0},
		{"429 waited out", nil, func(g *fakeGateway) { g.throttle = []string{"1"} }, phone, "", 0, []time.Duration{time.Second}, 1},
		{"429 twice, both waited out", nil, func(g *fakeGateway) { g.throttle = []string{"1", "1"} }, phone, "",
			0, []time.Duration{time.Second, time.Second}, 1},
		{"429 longer than we wait", nil, func(g *fakeGateway) { g.throttle = []string{"60"} }, phone,
			"delivery.tggateway.unavailable", time.Minute, nil, 0},
		{"FLOOD_WAIT in the envelope", nil, func(g *fakeGateway) { g.flood = 1 }, phone, "", 0, []time.Duration{time.Second}, 1},
		{"502 is not retried: a send may have gone out", nil, func(g *fakeGateway) { g.broken = 1 }, phone,
			"delivery.tggateway.unavailable", 0, nil, 0},
		{"not E.164", nil, nil, "89991234567", delivery.ReasonBadRecipient, 0, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newFakeGateway(t)
			if tt.setup != nil {
				tt.setup(g)
			}
			c, waits := newChannel(t, g, tt.mod)
			_, err := c.Send(context.Background(), message(tt.phone, time.Minute))
			if got := fault.ReasonOf(err); got != tt.wantReason || (tt.wantReason == "") != (err == nil) {
				t.Fatalf("err = %v, want reason %q", err, tt.wantReason)
			}
			if fe, ok := fault.As(err); ok && fe.RetryAfter != tt.wantRetry {
				t.Errorf("RetryAfter %v, want %v", fe.RetryAfter, tt.wantRetry)
			}
			if !reflect.DeepEqual(*waits, tt.wantWaits) {
				t.Errorf("waits %v, want %v", *waits, tt.wantWaits)
			}
			if sent, _ := g.state(); len(sent) != tt.wantSent {
				t.Errorf("%d sent, want %d", len(sent), tt.wantSent)
			}
			if err != nil && !delivery.HandsOn(err) && tt.wantReason != delivery.ReasonBadRecipient {
				t.Errorf("%v does not hand on to the next channel", err)
			}
		})
	}
}

func TestRequestIDIsFreeOnce(t *testing.T) {
	g := newFakeGateway(t)
	c, _ := newChannel(t, g, func(o *tggateway.Options) { o.CheckAbility = true })
	for i := range 2 {
		if _, err := c.Send(context.Background(), message("+79991234567", time.Minute)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	sent, _ := g.state()
	if len(sent) != 2 || sent[0].RequestID == sent[1].RequestID {
		t.Fatalf("each send must check again and use its own request_id: %+v", sent)
	}
}

func TestNewRefuses(t *testing.T) {
	long := "https://id.example/" + string(make([]byte, 250))
	for _, o := range []tggateway.Options{{}, {Token: token, CallbackURL: long}} {
		if _, err := tggateway.New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}
