package codechain_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"gatehouse/adapters/codechain"
	"gatehouse/core/delivery"
	"gatehouse/core/fault"
	"gatehouse/ports"
)

// fakeChannel answers every Send with err and records what it was given.
type fakeChannel struct {
	name string
	err  error
	got  []ports.Message
}

func (f *fakeChannel) Name() string { return f.name }

func (f *fakeChannel) Send(_ context.Context, m ports.Message) (ports.DeliveryResult, error) {
	f.got = append(f.got, m)
	if f.err != nil {
		return ports.DeliveryResult{}, f.err
	}
	return ports.DeliveryResult{ID: f.name + "-id"}, nil
}

func newChain(tb testing.TB, routes delivery.Routes, channels ...ports.CodeChannel) (*codechain.Chain, *prometheus.Registry) {
	tb.Helper()
	reg := prometheus.NewRegistry()
	m, err := codechain.NewMetrics(reg)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := codechain.New(channels, routes, m, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	return c, reg
}

// counts returns every counter of reg as "name{labels}" → value.
func counts(tb testing.TB, reg *prometheus.Registry) map[string]float64 {
	tb.Helper()
	families, err := reg.Gather()
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			key := f.GetName() + "{"
			for i, l := range m.GetLabel() {
				if i > 0 {
					key += ","
				}
				key += l.GetName() + "=" + l.GetValue()
			}
			out[key+"}"] = m.GetCounter().GetValue()
		}
	}
	return out
}

func TestSendTriesChannelsInOrder(t *testing.T) {
	unreachable := delivery.Unreachable("tggateway", errors.New("checkSendAbility: no"))
	down := delivery.Unavailable("smshook", errors.New("503"), 0)
	bad := delivery.BadRecipient(errors.New("PHONE_NUMBER_INVALID"))
	tests := []struct {
		name        string
		errs        map[string]error // by channel; absent succeeds
		recipient   string
		wantChannel string
		wantReason  string
		wantTried   []string
		wantCounts  map[string]float64
	}{
		{
			name: "first takes it", recipient: "+79991234567",
			wantChannel: "tggateway", wantTried: []string{"tggateway"},
			wantCounts: map[string]float64{"delivery_codes_sent_total{channel=tggateway}": 1},
		},
		{
			name: "unreachable hands on", recipient: "+79991234567",
			errs:        map[string]error{"tggateway": unreachable},
			wantChannel: "smshook", wantTried: []string{"tggateway", "smshook"},
			wantCounts: map[string]float64{
				"delivery_codes_failed_total{channel=tggateway,reason=delivery.unreachable}": 1,
				"delivery_codes_sent_total{channel=smshook}":                                 1,
			},
		},
		{
			name: "all fail", recipient: "+79991234567",
			errs:       map[string]error{"tggateway": unreachable, "smshook": down},
			wantReason: delivery.ReasonNoChannel, wantTried: []string{"tggateway", "smshook"},
			wantCounts: map[string]float64{
				"delivery_codes_failed_total{channel=tggateway,reason=delivery.unreachable}":       1,
				"delivery_codes_failed_total{channel=smshook,reason=delivery.smshook.unavailable}": 1,
			},
		},
		{
			name: "bad recipient stops", recipient: "+79991234567",
			errs:       map[string]error{"tggateway": bad},
			wantReason: delivery.ReasonBadRecipient, wantTried: []string{"tggateway"},
			wantCounts: map[string]float64{"delivery_codes_failed_total{channel=tggateway,reason=delivery.bad_recipient}": 1},
		},
		{
			name: "unclassified stops", recipient: "+79991234567",
			errs:       map[string]error{"tggateway": errors.New("bug")},
			wantReason: "", wantTried: []string{"tggateway"},
			wantCounts: map[string]float64{"delivery_codes_failed_total{channel=tggateway,reason=internal}": 1},
		},
		{
			name: "prefix route", recipient: "+4915112345678",
			wantChannel: "smshook", wantTried: []string{"smshook"},
			wantCounts: map[string]float64{"delivery_codes_sent_total{channel=smshook}": 1},
		},
		{
			name: "not E.164", recipient: "89991234567",
			wantReason: delivery.ReasonBadRecipient, wantCounts: map[string]float64{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := &fakeChannel{name: "tggateway", err: tt.errs["tggateway"]}
			sms := &fakeChannel{name: "smshook", err: tt.errs["smshook"]}
			c, reg := newChain(t, delivery.Routes{
				Default:  []string{"tggateway", "smshook"},
				ByPrefix: map[string][]string{"+49": {"smshook"}},
			}, tg, sms)
			m := ports.Message{Recipient: tt.recipient, Code: "123456"}
			res, err := c.Send(context.Background(), m)
			if tt.wantChannel != "" {
				if err != nil || res.Channel != tt.wantChannel || res.ID != tt.wantChannel+"-id" {
					t.Fatalf("Send = %+v, %v; want channel %s", res, err, tt.wantChannel)
				}
			} else if err == nil || fault.ReasonOf(err) != tt.wantReason {
				t.Fatalf("Send err = %v, want reason %q", err, tt.wantReason)
			}
			var tried []string
			for _, f := range []*fakeChannel{tg, sms} {
				if len(f.got) > 0 {
					tried = append(tried, f.name)
				}
			}
			if len(tried) != len(tt.wantTried) || (len(tried) > 0 && !reflect.DeepEqual(tried, tt.wantTried)) {
				t.Errorf("tried %v, want %v", tried, tt.wantTried)
			}
			if got := counts(t, reg); !reflect.DeepEqual(got, tt.wantCounts) {
				t.Errorf("counters %v, want %v", got, tt.wantCounts)
			}
		})
	}
}

func TestNoChannelKeepsLastFaultAndWait(t *testing.T) {
	limited := delivery.Unavailable("smshook", errors.New("429"), 30e9)
	c, _ := newChain(t, delivery.Routes{Default: []string{"smshook"}}, &fakeChannel{name: "smshook", err: limited})
	_, err := c.Send(context.Background(), ports.Message{Recipient: "+79991234567"})
	fe, ok := fault.As(err)
	if !ok || fe.Reason != delivery.ReasonNoChannel || fe.RetryAfter != 30e9 || !errors.Is(err, limited) {
		t.Fatalf("err = %v", err)
	}
}

func TestCancelledContextStops(t *testing.T) {
	tg := &fakeChannel{name: "tggateway"}
	c, _ := newChain(t, delivery.Routes{Default: []string{"tggateway"}}, tg)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Send(ctx, ports.Message{Recipient: "+79991234567"}); !fault.Is(err, fault.Unavailable) || len(tg.got) != 0 {
		t.Fatalf("err = %v, sends %d", err, len(tg.got))
	}
}

func TestNewRefusesBadRoutes(t *testing.T) {
	tg := &fakeChannel{name: "tggateway"}
	tests := []struct {
		name     string
		channels []ports.CodeChannel
		routes   delivery.Routes
	}{
		{"unknown channel", []ports.CodeChannel{tg}, delivery.Routes{Default: []string{"smshook"}}},
		{"empty prefix route", []ports.CodeChannel{tg}, delivery.Routes{ByPrefix: map[string][]string{"+7": {}}}},
		{"unknown in prefix", []ports.CodeChannel{tg}, delivery.Routes{Default: []string{"tggateway"}, ByPrefix: map[string][]string{"+7": {"x"}}}},
		{"duplicate names", []ports.CodeChannel{tg, &fakeChannel{name: "tggateway"}}, delivery.Routes{Default: []string{"tggateway"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := codechain.NewMetrics(prometheus.NewRegistry())
			if _, err := codechain.New(tt.channels, tt.routes, m, slog.Default()); err == nil {
				t.Fatal("New accepted it")
			}
		})
	}
}

func TestNoRouteIsNoChannel(t *testing.T) {
	c, _ := newChain(t, delivery.Routes{})
	if _, err := c.Send(context.Background(), ports.Message{Recipient: "+79991234567"}); fault.ReasonOf(err) != delivery.ReasonNoChannel {
		t.Fatalf("err = %v", err)
	}
}
