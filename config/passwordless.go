package config

import (
	"net/url"
	"strings"
	"time"
)

// Passwordless configures sign-in without a password (contract 000): codes
// sent to phones, login links and email binding codes.
type Passwordless struct {
	// CodeSecret keys the hashes codes and link tokens are stored as (at
	// least 32 bytes, the same on every replica). Empty: a key derived from
	// the first token key file, else from the first signing key generated
	// and kept in storage.
	CodeSecret string `yaml:"code_secret"`
	// CodeTTL is how long a code or link lives: at most 10m.
	CodeTTL time.Duration `yaml:"code_ttl"`
	// CodeAttempts is how many presentations a code gets (1..10).
	CodeAttempts int `yaml:"code_attempts"`
	// ResendCooldown spaces sends to one recipient.
	ResendCooldown time.Duration `yaml:"resend_cooldown"`
	// SendsPerRecipient and SendsPerIP bound sends per hour to one
	// recipient and from one client address.
	SendsPerRecipient int `yaml:"sends_per_recipient"`
	SendsPerIP        int `yaml:"sends_per_ip"`
	// PhoneRegion reads numbers written without a country code (ISO 3166
	// alpha-2); empty accepts only international spellings.
	PhoneRegion string `yaml:"phone_region"`
	// CreateOnPhoneLogin makes a new phone's first sign-in create its account.
	CreateOnPhoneLogin bool `yaml:"create_on_phone_login"`
	// LoginLinkURL is where mailed login links land: the product's web front
	// ("{token}" is replaced by the token, else ?token= is added), which then
	// exchanges the token at POST /api/auth/email/login. Empty: gatehouse's
	// own landing page, which signs the browser in and sends it to AfterLoginURL.
	LoginLinkURL string `yaml:"login_link_url"`
	// AfterLoginURL is where gatehouse's landing sends a signed-in browser.
	AfterLoginURL string `yaml:"after_login_url"`
	// AccessCookie and RefreshCookie name the token cookies of contract 000.
	AccessCookie  string `yaml:"access_cookie"`
	RefreshCookie string `yaml:"refresh_cookie"`
	// CookieSameSite is strict or lax.
	CookieSameSite string `yaml:"cookie_same_site"`
}

func defaultPasswordless() Passwordless {
	return Passwordless{
		CodeTTL: 10 * time.Minute, CodeAttempts: 5, ResendCooldown: time.Minute,
		SendsPerRecipient: 10, SendsPerIP: 30, PhoneRegion: "RU", CreateOnPhoneLogin: true,
		AfterLoginURL: "/", AccessCookie: "JWT", RefreshCookie: "RT", CookieSameSite: "strict",
	}
}

func (p Passwordless) validate(bad badFunc) error {
	switch {
	case p.CodeSecret != "" && len(p.CodeSecret) < 32:
		return bad("passwordless.code_secret", "%d bytes: want at least 32", len(p.CodeSecret))
	case p.CodeTTL < 30*time.Second || p.CodeTTL > 10*time.Minute:
		return bad("passwordless.code_ttl", "%s: want 30s to 10m", p.CodeTTL)
	case p.CodeAttempts < 1 || p.CodeAttempts > 10:
		return bad("passwordless.code_attempts", "%d: want 1 to 10", p.CodeAttempts)
	case p.ResendCooldown < time.Second || p.ResendCooldown > time.Hour:
		return bad("passwordless.resend_cooldown", "%s: want 1s to 1h", p.ResendCooldown)
	case p.SendsPerRecipient < 1:
		return bad("passwordless.sends_per_recipient", "%d: want at least 1", p.SendsPerRecipient)
	case p.SendsPerIP < 1:
		return bad("passwordless.sends_per_ip", "%d: want at least 1", p.SendsPerIP)
	case len(p.PhoneRegion) != 0 && len(p.PhoneRegion) != 2:
		return bad("passwordless.phone_region", "%q: want a two-letter region such as RU, or empty", p.PhoneRegion)
	case p.AccessCookie == "" || p.RefreshCookie == "" || p.AccessCookie == p.RefreshCookie:
		return bad("passwordless.refresh_cookie", "%q and %q: want two different cookie names", p.AccessCookie, p.RefreshCookie)
	}
	switch strings.ToLower(p.CookieSameSite) {
	case "strict", "lax":
	default:
		return bad("passwordless.cookie_same_site", "%q: want strict or lax", p.CookieSameSite)
	}
	if p.LoginLinkURL != "" {
		if u, err := url.Parse(p.LoginLinkURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("passwordless.login_link_url", "%q: want an absolute http(s) URL, e.g. https://app.example.com/login?token={token}", p.LoginLinkURL)
		}
	}
	if !strings.HasPrefix(p.AfterLoginURL, "/") {
		if u, err := url.Parse(p.AfterLoginURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("passwordless.after_login_url", "%q: want a path such as / or an absolute http(s) URL", p.AfterLoginURL)
		}
	}
	return nil
}
