package captcha

import (
	"net/url"

	core "gatehouse/core/captcha"
)

// RecaptchaURL is Google reCAPTCHA's siteverify endpoint, v2 and v3 alike.
const RecaptchaURL = "https://www.google.com/recaptcha/api/siteverify"

// Google's documented v2 test keys: every token passes (the widget warns
// that it is for testing). Google documents none for v3.
const (
	RecaptchaTestSiteKey = "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"
	RecaptchaTestSecret  = "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe"
)

// DefaultMinScore is reCAPTCHA v3's passing score unless configured;
// Google's own suggestion.
const DefaultMinScore = 0.5

func recaptchaForm(o Options, token, remoteIP, _ string) url.Values {
	f := url.Values{"secret": {o.Secret}, "response": {token}}
	if remoteIP != "" {
		f.Set("remoteip", remoteIP)
	}
	return f
}

// NewRecaptchaV2 verifies reCAPTCHA v2 tokens (checkbox or invisible),
// which carry neither score nor action.
func NewRecaptchaV2(o Options) (*Verifier, error) {
	return newVerifier(vendor{
		name: "recaptcha_v2",
		url:  RecaptchaURL,
		form: recaptchaForm,
		verdict: func(a answer) core.Verdict {
			return core.Verdict{Success: a.Success, ErrorCodes: a.ErrorCodes, Hostname: a.Hostname}
		},
		policy: func(o Options, _ string) core.Policy {
			return core.Policy{Hostnames: o.Hostnames}
		},
	}, o)
}

// NewRecaptchaV3 verifies reCAPTCHA v3 tokens: each must carry a score of
// at least MinScore (default 0.5) and the expected action, so a token
// made on another page, or a v2 token, fails.
func NewRecaptchaV3(o Options) (*Verifier, error) {
	if o.MinScore <= 0 {
		o.MinScore = DefaultMinScore
	}
	return newVerifier(vendor{
		name: "recaptcha_v3",
		url:  RecaptchaURL,
		form: recaptchaForm,
		verdict: func(a answer) core.Verdict {
			v := core.Verdict{Success: a.Success, ErrorCodes: a.ErrorCodes, Action: a.Action, Hostname: a.Hostname}
			if a.Score != nil {
				v.Scored, v.Score = true, *a.Score
			}
			return v
		},
		policy: func(o Options, action string) core.Policy {
			a := expected(o, action)
			return core.Policy{MinScore: o.MinScore, RequireScore: true, Action: a, RequireAction: a != "", Hostnames: o.Hostnames}
		},
	}, o)
}
