package smshook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"gatehouse/adapters/smshook"
	"gatehouse/core/delivery"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

const secret = "hook-secret"

var now = time.Unix(1_760_000_000, 0)

// receiver is a provider-side receiver written from the README alone: it
// checks the signature over timestamp "." body with the shared secret and
// the timestamp's age, and drops repeats of a delivery id.
type receiver struct {
	srv *httptest.Server

	mu       sync.Mutex
	answers  []answer // for the next requests; then 200
	got      []smshook.Payload
	ids      []string
	accepted map[string]bool
}

type answer struct {
	status int
	header map[string]string
	body   string
}

func newReceiver(tb testing.TB, answers ...answer) *receiver {
	tb.Helper()
	r := &receiver{answers: answers, accepted: map[string]bool{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	tb.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	stamp := req.Header.Get("X-Gatehouse-Timestamp")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stamp + "." + string(body)))
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	ts, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil || now.Sub(time.Unix(ts, 0)).Abs() > 5*time.Minute ||
		!hmac.Equal([]byte(want), []byte(req.Header.Get("X-Gatehouse-Signature"))) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	id := req.Header.Get("X-Gatehouse-Delivery")
	r.ids = append(r.ids, id)
	if len(r.answers) > 0 {
		a := r.answers[0]
		r.answers = r.answers[1:]
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
		if a.status >= 300 {
			return
		}
	} else {
		w.WriteHeader(http.StatusAccepted)
	}
	if r.accepted[id] {
		return // a repeat: already handed to the SMS API
	}
	r.accepted[id] = true
	var p smshook.Payload
	_ = json.Unmarshal(body, &p)
	r.got = append(r.got, p)
}

func (r *receiver) state() ([]smshook.Payload, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]smshook.Payload(nil), r.got...), append([]string(nil), r.ids...)
}

func newChannel(tb testing.TB, url string, mod func(*smshook.Options)) (*smshook.Channel, *[]time.Duration) {
	tb.Helper()
	o := smshook.Options{URL: url, Secret: secret, Product: "Felmee", Now: func() time.Time { return now }}
	if mod != nil {
		mod(&o)
	}
	c, err := smshook.New(o)
	if err != nil {
		tb.Fatal(err)
	}
	waits := new([]time.Duration)
	smshook.SkipWaits(c, waits)
	return c, waits
}

func msg(locale identity.Locale) ports.Message {
	return ports.Message{Recipient: "+79991234567", Code: "482913", TTL: 10 * time.Minute, Locale: locale, Purpose: identity.PurposePhoneLogin}
}

func TestSendPayload(t *testing.T) {
	tests := []struct {
		name   string
		locale identity.Locale
		answer []answer
		text   string
		wantID string // "" means our delivery id
	}{
		{"ru", identity.LocaleRU, nil, "Код Felmee: 482913. Действует 10 мин. Никому не сообщайте.", ""},
		{"en", identity.LocaleEN, nil, "Your Felmee code: 482913. Valid for 10 min. Do not share it.", ""},
		{"receiver's string id", identity.LocaleEN,
			[]answer{{200, map[string]string{"Content-Type": "application/json"}, `{"id":"sms-77"}`}},
			"Your Felmee code: 482913. Valid for 10 min. Do not share it.", "sms-77"},
		{"receiver's numeric id", identity.LocaleEN,
			[]answer{{200, map[string]string{"Content-Type": "application/json; charset=utf-8"}, `{"id":77}`}},
			"Your Felmee code: 482913. Valid for 10 min. Do not share it.", "77"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReceiver(t, tt.answer...)
			c, _ := newChannel(t, r.srv.URL, nil)
			res, err := c.Send(context.Background(), msg(tt.locale))
			if err != nil {
				t.Fatal(err)
			}
			got, ids := r.state()
			want := smshook.Payload{To: "+79991234567", Text: tt.text, Code: "482913", TTL: 600}
			if len(got) != 1 || got[0] != want {
				t.Fatalf("receiver got %+v, want %+v", got, want)
			}
			wantID := tt.wantID
			if wantID == "" {
				wantID = ids[0]
			}
			if res != (ports.DeliveryResult{Channel: "smshook", ID: wantID}) || len(ids[0]) != 32 {
				t.Fatalf("result %+v, ids %v", res, ids)
			}
			if n := len([]rune(got[0].Text)); n > 70 {
				t.Errorf("text is %d characters: two SMS segments in Cyrillic", n)
			}
		})
	}
}

func TestSendRetries(t *testing.T) {
	retryAfter := func(v string) map[string]string { return map[string]string{"Retry-After": v} }
	tests := []struct {
		name      string
		answers   []answer
		reason    string
		retry     time.Duration
		waits     []time.Duration
		requests  int
		delivered int
	}{
		{"503 then accepted", []answer{{503, nil, ""}}, "", 0, []time.Duration{200 * time.Millisecond}, 2, 1},
		{"429 honours Retry-After", []answer{{429, retryAfter("2"), ""}}, "", 0, []time.Duration{2 * time.Second}, 2, 1},
		{"429 too long to wait", []answer{{429, retryAfter("60"), ""}}, "delivery.smshook.unavailable", time.Minute, nil, 1, 0},
		{"5xx every time", []answer{{500, nil, ""}, {502, nil, ""}, {503, nil, ""}}, "delivery.smshook.unavailable", 0,
			[]time.Duration{200 * time.Millisecond, 400 * time.Millisecond}, 3, 0},
		{"400 is not retried", []answer{{400, nil, `{"error":"bad number"}`}}, delivery.ReasonUnreachable, 0, nil, 1, 0},
		{"422 is not retried", []answer{{422, nil, ""}}, delivery.ReasonUnreachable, 0, nil, 1, 0},
		{"403 is our setup", []answer{{403, nil, ""}}, "delivery.smshook.unavailable", 0, nil, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReceiver(t, tt.answers...)
			c, waits := newChannel(t, r.srv.URL, nil)
			_, err := c.Send(context.Background(), msg(identity.LocaleEN))
			if got := fault.ReasonOf(err); got != tt.reason || (tt.reason == "") != (err == nil) {
				t.Fatalf("err = %v, want reason %q", err, tt.reason)
			}
			if fe, ok := fault.As(err); ok && fe.RetryAfter != tt.retry {
				t.Errorf("RetryAfter %v, want %v", fe.RetryAfter, tt.retry)
			}
			if !reflect.DeepEqual(*waits, tt.waits) {
				t.Errorf("waits %v, want %v", *waits, tt.waits)
			}
			got, ids := r.state()
			if len(ids) != tt.requests || len(got) != tt.delivered {
				t.Fatalf("%d requests, %d delivered; want %d, %d", len(ids), len(got), tt.requests, tt.delivered)
			}
			for _, id := range ids {
				if id != ids[0] {
					t.Fatalf("a retry changed the delivery id: %v", ids)
				}
			}
		})
	}
}

func TestWrongSecretIsUnavailable(t *testing.T) {
	r := newReceiver(t)
	c, _ := newChannel(t, r.srv.URL, func(o *smshook.Options) { o.Secret = "other" })
	_, err := c.Send(context.Background(), msg(identity.LocaleEN))
	if fault.ReasonOf(err) != "delivery.smshook.unavailable" || !delivery.HandsOn(err) {
		t.Fatalf("err = %v", err)
	}
}

func TestReceiverDown(t *testing.T) {
	r := newReceiver(t)
	c, waits := newChannel(t, r.srv.URL, nil)
	r.srv.Close()
	if _, err := c.Send(context.Background(), msg(identity.LocaleEN)); fault.ReasonOf(err) != "delivery.smshook.unavailable" {
		t.Fatalf("err = %v", err)
	}
	if len(*waits) != 2 {
		t.Fatalf("waits %v: want 3 attempts", *waits)
	}
}

func TestBadRecipientIsNotSent(t *testing.T) {
	r := newReceiver(t)
	c, _ := newChannel(t, r.srv.URL, nil)
	m := msg(identity.LocaleEN)
	m.Recipient = "8 999 123 45 67"
	if _, err := c.Send(context.Background(), m); fault.ReasonOf(err) != delivery.ReasonBadRecipient {
		t.Fatalf("err = %v", err)
	}
	if _, ids := r.state(); len(ids) != 0 {
		t.Fatal("sent")
	}
}

func TestNewRefuses(t *testing.T) {
	for _, o := range []smshook.Options{{Secret: secret}, {URL: "ftp://x", Secret: secret}, {URL: "https://sms.example/hook"}} {
		if _, err := smshook.New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}

// TestSignMatchesTheREADME pins Sign to a value computed with the README's
// Python lines.
func TestSignMatchesTheREADME(t *testing.T) {
	const want = "sha256=3035a13248156af9516678e60e075a404291ae5ff89dfa506ae37d62df773271"
	if got := smshook.Sign(secret, "1760000000", []byte(`{"to":"+79991234567"}`)); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}
