package captcha_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"testing"
	"time"

	"gatehouse/adapters/captcha"
	core "gatehouse/core/captcha"
	"gatehouse/core/fault"
)

type constructor func(captcha.Options) (*captcha.Verifier, error)

var vendors = []struct {
	name string
	kind string // the fake's dialect
	new  constructor
}{
	{"turnstile", "turnstile", captcha.NewTurnstile},
	{"hcaptcha", "hcaptcha", captcha.NewHCaptcha},
	{"recaptcha_v2", "recaptcha", captcha.NewRecaptchaV2},
	{"recaptcha_v3", "recaptcha", captcha.NewRecaptchaV3},
}

func newVerifier(tb testing.TB, f *fakeVendor, newV constructor, mod func(*captcha.Options)) (*captcha.Verifier, *[]time.Duration) {
	tb.Helper()
	o := captcha.Options{Secret: f.secret, URL: f.srv.URL, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if mod != nil {
		mod(&o)
	}
	v, err := newV(o)
	if err != nil {
		tb.Fatal(err)
	}
	waits := new([]time.Duration)
	captcha.SkipWaits(v, waits)
	return v, waits
}

// wantReason fails unless err carries reason ("" for nil).
func wantReason(tb testing.TB, err error, reason string) {
	tb.Helper()
	if got := fault.ReasonOf(err); got != reason || (reason == "") != (err == nil) {
		tb.Fatalf("err = %v, want reason %q", err, reason)
	}
}

func TestTokenPassesOnceWithEveryVendor(t *testing.T) {
	for _, vd := range vendors {
		t.Run(vd.name, func(t *testing.T) {
			f := newFakeVendor(t, vd.kind)
			v, _ := newVerifier(t, f, vd.new, nil)
			tok := f.issue("phone_otp", 0.9)
			ctx := context.Background()
			wantReason(t, v.Verify(ctx, tok, "203.0.113.7", "phone_otp"), "")
			wantReason(t, v.Verify(ctx, tok, "203.0.113.7", "phone_otp"), core.ReasonInvalid)
			wantReason(t, v.Verify(ctx, "", "203.0.113.7", "phone_otp"), core.ReasonRequired)
			wantReason(t, v.Verify(ctx, "forged", "203.0.113.7", "phone_otp"), core.ReasonInvalid)
			reqs := f.seen()
			if len(reqs) != 3 {
				t.Fatalf("%d requests, want 3 (an empty token is never sent)", len(reqs))
			}
			first := reqs[0]
			if first.Get("secret") != siteSecret || first.Get("response") != tok || first.Get("remoteip") != "203.0.113.7" {
				t.Errorf("form %v", first)
			}
			uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
			if key := first.Get("idempotency_key"); (vd.kind == "turnstile") != uuid.MatchString(key) {
				t.Errorf("idempotency_key %q", key)
			}
			if vd.kind == "turnstile" && reqs[1].Get("idempotency_key") == first.Get("idempotency_key") {
				t.Error("two Verify calls shared an idempotency key")
			}
		})
	}
}

func TestVendorTestKeys(t *testing.T) {
	tests := []struct {
		name   string
		kind   string
		new    constructor
		secret string
		token  string
		want   string
	}{
		{"turnstile always passes", "turnstile", captcha.NewTurnstile, captcha.TurnstileTestPass, "XXXX.DUMMY.TOKEN.XXXX", ""},
		{"turnstile always fails", "turnstile", captcha.NewTurnstile, captcha.TurnstileTestFail, "XXXX.DUMMY.TOKEN.XXXX", core.ReasonInvalid},
		{"turnstile already spent", "turnstile", captcha.NewTurnstile, captcha.TurnstileTestSpent, "XXXX.DUMMY.TOKEN.XXXX", core.ReasonInvalid},
		{"hcaptcha test token", "hcaptcha", captcha.NewHCaptcha, captcha.HCaptchaTestSecret, captcha.HCaptchaTestToken, ""},
		{"hcaptcha other token", "hcaptcha", captcha.NewHCaptcha, captcha.HCaptchaTestSecret, "not-the-test-token", core.ReasonInvalid},
		{"recaptcha v2 always passes", "recaptcha", captcha.NewRecaptchaV2, captcha.RecaptchaTestSecret, "anything", ""},
		// The v2 test key gives no score: v3 has no test keys, and a v2
		// answer must not pass as v3.
		{"recaptcha v3 refuses the v2 test key", "recaptcha", captcha.NewRecaptchaV3, captcha.RecaptchaTestSecret, "anything", core.ReasonInvalid},
		{"wrong secret is ours, not the client's", "turnstile", captcha.NewTurnstile, "wrong", "XXXX.DUMMY.TOKEN.XXXX", core.ReasonUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeVendor(t, tt.kind)
			v, _ := newVerifier(t, f, tt.new, func(o *captcha.Options) { o.Secret = tt.secret })
			for range 2 { // test keys behave the same every time
				wantReason(t, v.Verify(context.Background(), tt.token, "", "phone_otp"), tt.want)
			}
			if got := f.seen()[0]; got.Has("remoteip") {
				t.Errorf("remoteip sent without a client address: %v", got)
			}
		})
	}
}

func TestRecaptchaV3ScoreAndAction(t *testing.T) {
	tests := []struct {
		name         string
		score        float64
		tokenAction  string
		callerAction string
		mod          func(*captcha.Options)
		want         string
	}{
		{"passes", 0.9, "phone_otp", "phone_otp", nil, ""},
		{"default threshold 0.5 passes", 0.5, "phone_otp", "phone_otp", nil, ""},
		{"below the default threshold", 0.4, "phone_otp", "phone_otp", nil, core.ReasonInvalid},
		{"below a configured threshold", 0.6, "phone_otp", "phone_otp", func(o *captcha.Options) { o.MinScore = 0.7 }, core.ReasonInvalid},
		{"token made for another action", 0.9, "login", "phone_otp", nil, core.ReasonInvalid},
		{"configured action wins", 0.9, "submit", "phone_otp", func(o *captcha.Options) { o.Action = "submit" }, ""},
		{"token without a score (v2)", -1, "", "phone_otp", nil, core.ReasonInvalid},
		{"hostname not allowed", 0.9, "phone_otp", "phone_otp", func(o *captcha.Options) { o.Hostnames = []string{"other.example"} }, core.ReasonInvalid},
		{"hostname allowed", 0.9, "phone_otp", "phone_otp", func(o *captcha.Options) { o.Hostnames = []string{"app.example"} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeVendor(t, "recaptcha")
			v, _ := newVerifier(t, f, captcha.NewRecaptchaV3, tt.mod)
			wantReason(t, v.Verify(context.Background(), f.issue(tt.tokenAction, tt.score), "", tt.callerAction), tt.want)
		})
	}
}

func TestTurnstileChecksReportedAction(t *testing.T) {
	f := newFakeVendor(t, "turnstile")
	v, _ := newVerifier(t, f, captcha.NewTurnstile, nil)
	wantReason(t, v.Verify(context.Background(), f.issue("login", -1), "", "phone_otp"), core.ReasonInvalid)
	wantReason(t, v.Verify(context.Background(), f.issue("", -1), "", "phone_otp"), "")
}

func TestVendorTroubles(t *testing.T) {
	tests := []struct {
		name      string
		kind      string
		new       constructor
		wait      string
		statuses  []int
		lose      bool
		failOpen  bool
		want      string
		wantWaits []time.Duration
		wantSent  int
		wantRetry time.Duration // RetryAfter of the fault
	}{
		{"429 waited out", "recaptcha", captcha.NewRecaptchaV2, "1", []int{429}, false, false, "", []time.Duration{time.Second}, 2, 0},
		{"429 too long to wait", "hcaptcha", captcha.NewHCaptcha, "30", []int{429}, false, false, core.ReasonUnavailable, nil, 1, 30 * time.Second},
		{"429 too long, fail open", "hcaptcha", captcha.NewHCaptcha, "30", []int{429}, false, true, "", nil, 1, 0},
		{"503 spends the token: no retry", "recaptcha", captcha.NewRecaptchaV3, "", []int{503}, true, false, core.ReasonUnavailable, nil, 1, 0},
		{"503 fail open", "recaptcha", captcha.NewRecaptchaV3, "", []int{503}, true, true, "", nil, 1, 0},
		{"turnstile 500 after spending: same key again", "turnstile", captcha.NewTurnstile, "", []int{500}, true, false, "", []time.Duration{100 * time.Millisecond}, 2, 0},
		{"turnstile keeps failing", "turnstile", captcha.NewTurnstile, "", []int{502, 502, 502, 502, 502}, false, false, core.ReasonUnavailable,
			[]time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond}, 5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeVendor(t, tt.kind)
			f.lose = tt.lose
			var waited []time.Duration
			v, waits := newVerifier(t, f, tt.new, func(o *captcha.Options) { o.FailOpen = tt.failOpen })
			f.failNext(tt.wait, tt.statuses...)
			err := v.Verify(context.Background(), f.issue("phone_otp", 0.9), "", "phone_otp")
			wantReason(t, err, tt.want)
			if fe, ok := fault.As(err); ok && fe.RetryAfter != tt.wantRetry {
				t.Errorf("RetryAfter %v, want %v", fe.RetryAfter, tt.wantRetry)
			}
			waited = *waits
			if len(waited) != len(tt.wantWaits) || (len(waited) > 0 && waited[0] != tt.wantWaits[0]) {
				t.Errorf("waited %v, want %v", waited, tt.wantWaits)
			}
			reqs := f.seen()
			if len(reqs) != tt.wantSent {
				t.Fatalf("%d requests, want %d", len(reqs), tt.wantSent)
			}
			if tt.kind == "turnstile" && reqs[0].Get("idempotency_key") != reqs[len(reqs)-1].Get("idempotency_key") {
				t.Error("a retry changed the idempotency key")
			}
		})
	}
}

func TestRetryAfterAsDate(t *testing.T) {
	f := newFakeVendor(t, "hcaptcha")
	v, _ := newVerifier(t, f, captcha.NewHCaptcha, nil)
	f.failNext(retryAfterDate(time.Hour), 429)
	err := v.Verify(context.Background(), f.issue("", -1), "", "")
	if fe, ok := fault.As(err); !ok || fe.Reason != core.ReasonUnavailable || fe.RetryAfter < 59*time.Minute {
		t.Fatalf("err = %v", err)
	}
}

func TestUnreachableVendor(t *testing.T) {
	for _, failOpen := range []bool{false, true} {
		f := newFakeVendor(t, "recaptcha")
		v, _ := newVerifier(t, f, captcha.NewRecaptchaV2, func(o *captcha.Options) { o.FailOpen = failOpen })
		f.srv.Close()
		want := core.ReasonUnavailable
		if failOpen {
			want = ""
		}
		wantReason(t, v.Verify(context.Background(), "tok", "", ""), want)
	}
}

func TestNotJSONIsUnavailable(t *testing.T) {
	f := newFakeVendor(t, "turnstile")
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "<html>maintenance</html>")
	})
	v, _ := newVerifier(t, f, captcha.NewTurnstile, nil)
	wantReason(t, v.Verify(context.Background(), "tok", "", ""), core.ReasonUnavailable)
}

func TestHCaptchaSendsSiteKey(t *testing.T) {
	f := newFakeVendor(t, "hcaptcha")
	v, _ := newVerifier(t, f, captcha.NewHCaptcha, func(o *captcha.Options) { o.SiteKey = "other-site" })
	wantReason(t, v.Verify(context.Background(), f.issue("", -1), "", ""), core.ReasonInvalid)
	if got := f.seen()[0].Get("sitekey"); got != "other-site" {
		t.Fatalf("sitekey %q", got)
	}
}

func TestNoneAcceptsEverything(t *testing.T) {
	for _, tok := range []string{"", "anything"} {
		if err := (captcha.None{}).Verify(context.Background(), tok, "", ""); err != nil {
			t.Fatal(err)
		}
	}
}

func TestUnsetFailsClosed(t *testing.T) {
	wantReason(t, (captcha.Unset{}).Verify(context.Background(), "tok", "", ""), core.ReasonUnavailable)
}

func TestNewNeedsSecret(t *testing.T) {
	for _, vd := range vendors {
		if _, err := vd.new(captcha.Options{}); err == nil {
			t.Errorf("%s: no error without a secret", vd.name)
		}
	}
}
