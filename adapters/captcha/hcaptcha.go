package captcha

import (
	"net/url"

	core "gatehouse/core/captcha"
)

// HCaptchaURL is hCaptcha's siteverify endpoint.
const HCaptchaURL = "https://api.hcaptcha.com/siteverify"

// hCaptcha's documented test keys: with this secret, the token its test
// site key produces passes.
const (
	HCaptchaTestSiteKey = "10000000-ffff-ffff-ffff-000000000001"
	HCaptchaTestSecret  = "0x0000000000000000000000000000000000000000"
	HCaptchaTestToken   = "10000000-aaaa-bbbb-cccc-000000000001"
)

// NewHCaptcha verifies hCaptcha tokens, sending SiteKey when set so a token
// made for another site fails. hCaptcha Enterprise's risk score (higher is
// riskier, the reverse of reCAPTCHA's) is not used; hCaptcha reports no action.
func NewHCaptcha(o Options) (*Verifier, error) {
	return newVerifier(vendor{
		name: "hcaptcha",
		url:  HCaptchaURL,
		form: func(o Options, token, remoteIP, _ string) url.Values {
			f := url.Values{"secret": {o.Secret}, "response": {token}}
			if remoteIP != "" {
				f.Set("remoteip", remoteIP)
			}
			if o.SiteKey != "" {
				f.Set("sitekey", o.SiteKey)
			}
			return f
		},
		verdict: func(a answer) core.Verdict {
			return core.Verdict{Success: a.Success, ErrorCodes: a.ErrorCodes, Hostname: a.Hostname}
		},
		policy: func(o Options, _ string) core.Policy {
			return core.Policy{Hostnames: o.Hostnames}
		},
	}, o)
}
