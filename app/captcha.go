package app

import (
	"log/slog"

	"go.uber.org/fx"

	"gatehouse/adapters/captcha"
	"gatehouse/config"
	"gatehouse/ports"
)

// captchaModule provides ports.Captcha for captcha.provider: a vendor's
// siteverify, None in dev mode (or forced), or Unset, which fails every
// check closed, when nothing is configured outside dev mode.
func captchaModule(cfg config.Config) fx.Option {
	var newVerifier func(captcha.Options) (*captcha.Verifier, error)
	switch p := cfg.CaptchaProvider(); p {
	case "none":
		return fx.Module("captcha", fx.Provide(func() ports.Captcha { return captcha.None{} }))
	case "":
		return fx.Module("captcha", fx.Provide(func(log *slog.Logger) ports.Captcha {
			log.Warn("captcha.provider is not set: every request that needs a captcha answers 503 until one is (see config/gatehouse.example.yaml)")
			return captcha.Unset{}
		}))
	case "turnstile":
		newVerifier = captcha.NewTurnstile
	case "hcaptcha":
		newVerifier = captcha.NewHCaptcha
	case "recaptcha_v2":
		newVerifier = captcha.NewRecaptchaV2
	case "recaptcha_v3":
		newVerifier = captcha.NewRecaptchaV3
	default:
		return choiceError("captcha.provider", p, "turnstile, hcaptcha, recaptcha_v2, recaptcha_v3 or none")
	}
	return fx.Module("captcha", fx.Provide(func(log *slog.Logger) (ports.Captcha, error) {
		k := cfg.Captcha
		return newVerifier(captcha.Options{
			Secret:    k.Secret,
			SiteKey:   k.SiteKey,
			URL:       k.VerifyURL,
			Timeout:   k.Timeout,
			MinScore:  k.MinScore,
			Action:    k.Action,
			Hostnames: k.Hostnames,
			FailOpen:  k.FailOpen,
			Log:       log.With("component", "captcha"),
		})
	}))
}
