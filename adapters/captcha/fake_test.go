package captcha_test

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"gatehouse/adapters/captcha"
)

// fakeVendor is a siteverify endpoint that answers as the vendor's
// documentation says: a form POST with secret, response and the vendor's
// optional fields; a JSON answer with success and error-codes (200 for
// refusals too); tokens it issued pass once, then are timeout-or-duplicate;
// the vendor's test secrets behave as documented.
type fakeVendor struct {
	kind   string // "turnstile", "hcaptcha", "recaptcha"
	secret string // the site's real secret
	srv    *httptest.Server

	mu       sync.Mutex
	tokens   map[string]*issued
	byKey    map[string]fakeAnswer // turnstile: idempotency_key → the answer given
	fail     []int                 // statuses for the next requests
	lose     bool                  // with a 5xx in fail: process the token, then lose the answer
	wait     string                // Retry-After of a 429
	requests []url.Values
}

type issued struct {
	action   string
	score    float64 // < 0: a token without a score (v2, Turnstile, hCaptcha)
	hostname string
	at       time.Time
	spent    bool
}

type fakeAnswer struct {
	Success    bool     `json:"success"`
	ErrorCodes []string `json:"error-codes,omitempty"`
	Challenge  string   `json:"challenge_ts,omitempty"`
	Hostname   string   `json:"hostname,omitempty"`
	Action     *string  `json:"action,omitempty"`
	Score      *float64 `json:"score,omitempty"`
	CData      *string  `json:"cdata,omitempty"`    // turnstile
	Credit     *bool    `json:"credit,omitempty"`   // hcaptcha
	Metadata   any      `json:"metadata,omitempty"` // turnstile
}

const siteSecret = "site-secret-0123456789"

func newFakeVendor(tb testing.TB, kind string) *fakeVendor {
	tb.Helper()
	f := &fakeVendor{kind: kind, secret: siteSecret, tokens: map[string]*issued{}, byKey: map[string]fakeAnswer{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	tb.Cleanup(f.srv.Close)
	return f
}

// issue returns a token as the vendor's widget would hand one to a client.
func (f *fakeVendor) issue(action string, score float64) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := fmt.Sprintf("%s.%x", f.kind, b)
	f.tokens[tok] = &issued{action: action, score: score, hostname: "app.example", at: time.Now()}
	return tok
}

// failNext makes the next requests answer these statuses.
func (f *fakeVendor) failNext(wait string, statuses ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail, f.wait = statuses, wait
}

func (f *fakeVendor) seen() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.requests...)
}

func (f *fakeVendor) serve(w http.ResponseWriter, r *http.Request) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method != http.MethodPost || ct != "application/x-www-form-urlencoded" || r.ParseForm() != nil {
		f.write(w, http.StatusBadRequest, fakeAnswer{ErrorCodes: []string{"bad-request"}})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	form := r.PostForm
	f.requests = append(f.requests, form)
	status := http.StatusOK
	if len(f.fail) > 0 {
		status, f.fail = f.fail[0], f.fail[1:]
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", f.wait)
		}
		if !(status >= 500 && f.lose) {
			http.Error(w, http.StatusText(status), status)
			return
		}
	}
	a := f.judge(form)
	if status != http.StatusOK {
		http.Error(w, http.StatusText(status), status) // the answer is lost on the way
		return
	}
	f.write(w, http.StatusOK, a)
}

func (f *fakeVendor) write(w http.ResponseWriter, status int, a fakeAnswer) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(a)
}

func refused(codes ...string) fakeAnswer { return fakeAnswer{ErrorCodes: codes} }

// judge decides as the vendor would; f.mu is held.
func (f *fakeVendor) judge(form url.Values) fakeAnswer {
	secret, tok := form.Get("secret"), form.Get("response")
	key := form.Get("idempotency_key")
	if f.kind == "turnstile" && key != "" {
		if a, ok := f.byKey[key+"\x00"+tok]; ok {
			return a
		}
	}
	a := f.decide(secret, tok, form)
	if f.kind == "turnstile" && key != "" {
		f.byKey[key+"\x00"+tok] = a
	}
	return a
}

func (f *fakeVendor) decide(secret, tok string, form url.Values) fakeAnswer {
	switch {
	case secret == "":
		return refused("missing-input-secret")
	case tok == "":
		return refused("missing-input-response")
	}
	now := time.Now().UTC().Format(time.RFC3339)
	switch f.kind + "/" + secret {
	case "turnstile/" + captcha.TurnstileTestPass:
		return f.pass(&issued{hostname: "example.com", score: -1}, now)
	case "turnstile/" + captcha.TurnstileTestFail:
		return refused("invalid-input-response")
	case "turnstile/" + captcha.TurnstileTestSpent:
		return refused("timeout-or-duplicate")
	case "hcaptcha/" + captcha.HCaptchaTestSecret:
		if tok != captcha.HCaptchaTestToken {
			return refused("invalid-input-response")
		}
		return f.pass(&issued{hostname: "dummy-key-pass", score: -1}, now)
	case "recaptcha/" + captcha.RecaptchaTestSecret:
		return f.pass(&issued{hostname: "testkey.google.com", score: -1}, now)
	case f.kind + "/" + f.secret:
	default:
		return refused("invalid-input-secret")
	}
	if f.kind == "hcaptcha" && form.Get("sitekey") != "" && form.Get("sitekey") != "site-key" {
		return refused("sitekey-secret-mismatch")
	}
	t, ok := f.tokens[tok]
	lifetime := map[string]time.Duration{"turnstile": 300 * time.Second, "recaptcha": 120 * time.Second, "hcaptcha": 120 * time.Second}[f.kind]
	switch {
	case !ok:
		return refused("invalid-input-response")
	case t.spent || time.Since(t.at) > lifetime:
		return refused("timeout-or-duplicate")
	}
	t.spent = true
	return f.pass(t, now)
}

func (f *fakeVendor) pass(t *issued, now string) fakeAnswer {
	a := fakeAnswer{Success: true, Challenge: now, Hostname: t.hostname}
	switch f.kind {
	case "turnstile":
		empty := ""
		a.Action, a.CData, a.Metadata = &t.action, &empty, map[string]any{}
	case "hcaptcha":
		no := false
		a.Credit = &no
	case "recaptcha":
		if t.score >= 0 {
			a.Action, a.Score = &t.action, &t.score
		}
	}
	return a
}

// retryAfterDate is a Retry-After header in the HTTP-date form.
func retryAfterDate(d time.Duration) string {
	return time.Now().Add(d).UTC().Format(http.TimeFormat)
}
