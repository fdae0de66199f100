package app

import (
	"net/http"
	"strings"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/httpapi/felmee"
	"gatehouse/adapters/jwtsign"
	"gatehouse/config"
	"gatehouse/core/identity"
	"gatehouse/core/identity/identitysvc"
	"gatehouse/ports"
)

// passwordlessModule provides the passwordless use cases (phone codes,
// login links, email binding) and the key their codes are hashed under.
var passwordlessModule = fx.Module("passwordless",
	fx.Provide(
		newCodeKeys,
		newPasswordless,
		func(p *identitysvc.Passwordless) ports.Passwordless { return p },
	),
)

func newCodeKeys(cfg config.Config, keys ports.KeyStore) (ports.CodeKeys, error) {
	return jwtsign.NewCodeKeys(cfg.Passwordless.CodeSecret, cfg.Tokens.KeyFiles, keys)
}

func newPasswordless(cfg config.Config, s *identitysvc.Service, captcha ports.Captcha, phones ports.CodeChannel, keys ports.CodeKeys) (*identitysvc.Passwordless, error) {
	p := cfg.Passwordless
	if len(cfg.UsedCodeChannels()) == 0 {
		// No channel: phone sends answer unavailable at once, to everyone
		// alike, rather than pretending to send.
		phones = nil
	}
	return identitysvc.NewPasswordless(s, identitysvc.PasswordlessDeps{
		Captcha: captcha,
		Phones:  phones,
		Keys:    keys,
		Policy: identity.CodePolicy{
			TTL: p.CodeTTL, Attempts: p.CodeAttempts, Cooldown: p.ResendCooldown,
			PerRecipient: p.SendsPerRecipient, PerIP: p.SendsPerIP,
		},
		PhoneRegion:        p.PhoneRegion,
		CreateOnPhoneLogin: p.CreateOnPhoneLogin,
		LoginLinkURL:       loginLinkURL(cfg),
	})
}

// loginLinkURL is where mailed login links land: the product's web front
// when configured, else the felmee frontend's landing page.
func loginLinkURL(cfg config.Config) string {
	if cfg.Passwordless.LoginLinkURL != "" {
		return cfg.Passwordless.LoginLinkURL
	}
	return cfg.BaseURL() + cfg.Frontends.Felmee.Prefix + felmee.LoginLinkPath
}

// telegramSignIn is the Telegram sign-in when a bot is configured.
type telegramSignIn struct {
	fx.In
	SignIn ports.TelegramSignIn `optional:"true"`
}

func newFelmee(cfg config.Config, pw ports.Passwordless, sessions ports.Sessions, tg telegramSignIn) (httpapi.Mounter, error) {
	p := cfg.Passwordless
	sameSite := http.SameSiteStrictMode
	if strings.EqualFold(p.CookieSameSite, "lax") {
		sameSite = http.SameSiteLaxMode
	}
	o := felmee.Options{
		Prefix:          cfg.Frontends.Felmee.Prefix,
		AccessCookie:    p.AccessCookie,
		RefreshCookie:   p.RefreshCookie,
		SameSite:        sameSite,
		InsecureCookies: cfg.Dev,
		AccessTTL:       cfg.Tokens.AccessTTL,
		RefreshTTL:      cfg.Tokens.RefreshTTL,
		AfterLogin:      p.AfterLoginURL,
		Telegram:        tg.SignIn,
	}
	return felmee.New(o, pw, sessions)
}
