package captcha

import (
	"net/url"

	core "gatehouse/core/captcha"
)

// TurnstileURL is Cloudflare Turnstile's siteverify endpoint.
const TurnstileURL = "https://challenges.cloudflare.com/turnstile/v0/siteverify"

// Cloudflare's documented test secrets: every token passes, every token
// fails, every token is reported as already spent.
const (
	TurnstileTestPass  = "1x0000000000000000000000000000000AA"
	TurnstileTestFail  = "2x0000000000000000000000000000000AA"
	TurnstileTestSpent = "3x0000000000000000000000000000000AA"
)

// NewTurnstile verifies Cloudflare Turnstile tokens. Each Verify sends a
// fresh idempotency_key, so a request whose answer was lost (a 5xx, a
// dropped connection) is sent again without the token counting as reused;
// a token verified by an earlier Verify still fails as timeout-or-duplicate.
// The token's action (the widget's data-action) is checked when it has one.
func NewTurnstile(o Options) (*Verifier, error) {
	return newVerifier(vendor{
		name:       "turnstile",
		url:        TurnstileURL,
		idempotent: true,
		form: func(o Options, token, remoteIP, key string) url.Values {
			f := url.Values{"secret": {o.Secret}, "response": {token}, "idempotency_key": {key}}
			if remoteIP != "" {
				f.Set("remoteip", remoteIP)
			}
			return f
		},
		verdict: func(a answer) core.Verdict {
			return core.Verdict{Success: a.Success, ErrorCodes: a.ErrorCodes, Action: a.Action, Hostname: a.Hostname}
		},
		policy: func(o Options, action string) core.Policy {
			return core.Policy{Action: expected(o, action), Hostnames: o.Hostnames}
		},
	}, o)
}
