package config

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Captcha configures the check in front of every request that sends a code.
type Captcha struct {
	// Provider is turnstile, hcaptcha, recaptcha_v2, recaptcha_v3 or none
	// (accepts everything: dev mode only, unless ForceNone). Empty: none in
	// dev mode; otherwise every captcha check fails closed (503) until a
	// provider is set. See CaptchaProvider.
	Provider string `yaml:"provider"`
	Secret   string `yaml:"secret"`
	// SiteKey is sent to hCaptcha, which then refuses tokens of other sites.
	SiteKey string `yaml:"site_key"`
	// MinScore is reCAPTCHA v3's lowest passing score.
	MinScore float64 `yaml:"min_score"`
	// Action, when set, is the action every token must report instead of
	// the one each request names.
	Action string `yaml:"action"`
	// Hostnames, when set, are the sites tokens may be solved on.
	Hostnames []string `yaml:"hostnames"`
	// FailOpen lets requests through when the provider cannot be reached.
	FailOpen bool          `yaml:"fail_open"`
	Timeout  time.Duration `yaml:"timeout"`
	// VerifyURL replaces the provider's siteverify URL (a proxy, a test).
	VerifyURL string `yaml:"verify_url"`
	// ForceNone allows provider none outside dev mode.
	ForceNone bool `yaml:"force_none"`
}

// Delivery configures the channels phone codes go out on.
type Delivery struct {
	// Channels is the order channels are tried in: telegram (the bot),
	// tggateway, smshook, log (dev mode only). Empty: log in dev mode;
	// otherwise no channel, and phone codes answer unavailable. With the
	// bot on, telegram goes first when the order does not name it.
	Channels []string `yaml:"channels"`
	// Routes replace Channels for numbers starting with a prefix ("+7");
	// the longest matching prefix wins; telegram goes first as in Channels.
	// YAML only.
	Routes    map[string][]string `yaml:"routes"`
	TGGateway TGGateway           `yaml:"tggateway"`
	SMSHook   SMSHook             `yaml:"smshook"`
}

// TGGateway configures the Telegram Gateway API channel.
type TGGateway struct {
	Token string `yaml:"token"`
	// CheckAbility asks checkSendAbility first (a paid call; the send that
	// follows is then free), so unreachable numbers go to the next channel.
	CheckAbility   bool   `yaml:"check_ability"`
	SenderUsername string `yaml:"sender_username"`
	// ReportPath is where delivery reports are received, under public_url
	// (which must then be https); empty: none are asked for.
	ReportPath string        `yaml:"report_path"`
	BaseURL    string        `yaml:"base_url"`
	Timeout    time.Duration `yaml:"timeout"`
}

// SMSHook configures the signed SMS webhook channel.
type SMSHook struct {
	URL         string        `yaml:"url"`
	Secret      string        `yaml:"secret"`
	ProductName string        `yaml:"product_name"`
	Attempts    int           `yaml:"attempts"`
	Timeout     time.Duration `yaml:"timeout"`
}

func defaultDelivery() Delivery {
	return Delivery{
		TGGateway: TGGateway{Timeout: 10 * time.Second},
		SMSHook:   SMSHook{ProductName: "gatehouse", Attempts: 3, Timeout: 10 * time.Second},
	}
}

// The code channels delivery.channels may name. The Telegram bot joins
// them as "telegram" when it is built.
var codeChannels = []string{"telegram", "tggateway", "smshook", "log"}

// CaptchaProvider is the effective captcha provider: Captcha.Provider, or
// none in dev mode, or "" (fail closed) otherwise.
func (c Config) CaptchaProvider() string {
	if c.Captcha.Provider == "" && c.Dev {
		return "none"
	}
	return c.Captcha.Provider
}

// CodeChannels is the effective order of phone-code channels: the bot
// first when it is on (see withBot).
func (c Config) CodeChannels() []string {
	if len(c.Delivery.Channels) == 0 && c.Dev {
		return c.withBot([]string{"log"})
	}
	if len(c.Delivery.Channels) == 0 {
		return nil
	}
	return c.withBot(c.Delivery.Channels)
}

// CodeRoutes are the effective per-prefix orders, the bot first as in
// CodeChannels.
func (c Config) CodeRoutes() map[string][]string {
	out := make(map[string][]string, len(c.Delivery.Routes))
	for p, names := range c.Delivery.Routes {
		out[p] = c.withBot(names)
	}
	return out
}

// UsedCodeChannels lists each channel named by CodeChannels or a route, once.
func (c Config) UsedCodeChannels() []string {
	var out []string
	add := func(names []string) {
		for _, n := range names {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	add(c.CodeChannels())
	prefixes := make([]string, 0, len(c.Delivery.Routes))
	for p := range c.Delivery.Routes {
		prefixes = append(prefixes, p)
	}
	slices.Sort(prefixes)
	routes := c.CodeRoutes()
	for _, p := range prefixes {
		add(routes[p])
	}
	return out
}

func (c Config) validateCaptcha(bad badFunc) error {
	k := c.Captcha
	switch k.Provider {
	case "":
	case "none":
		if !c.Dev && !k.ForceNone {
			return bad("captcha.provider", "none accepts every token and is refused outside dev mode: pick a provider, or set captcha.force_none")
		}
	case "turnstile", "hcaptcha", "recaptcha_v2", "recaptcha_v3":
		if k.Secret == "" {
			return bad("captcha.secret", "must be set for %s", k.Provider)
		}
	default:
		return bad("captcha.provider", "%q: want turnstile, hcaptcha, recaptcha_v2, recaptcha_v3 or none", k.Provider)
	}
	if k.MinScore < 0 || k.MinScore > 1 {
		return bad("captcha.min_score", "%v: want 0 to 1 (0 means 0.5)", k.MinScore)
	}
	if k.Timeout < 0 {
		return bad("captcha.timeout", "must not be negative (0 means 5s)")
	}
	if k.VerifyURL != "" && !httpURL(k.VerifyURL) {
		return bad("captcha.verify_url", "%q: want an http(s) URL", k.VerifyURL)
	}
	return nil
}

var e164Prefix = regexp.MustCompile(`^\+[1-9][0-9]{0,14}$`)

func (c Config) validateDelivery(bad badFunc) error {
	d := c.Delivery
	for _, n := range c.UsedCodeChannels() {
		switch {
		case !slices.Contains(codeChannels, n):
			return bad("delivery.channels", "%q: want %s", n, strings.Join(codeChannels, ", "))
		case n == "log" && !c.Dev:
			return bad("delivery.channels", "log prints codes and is refused outside dev mode")
		case n == "telegram" && !c.BotOn():
			return bad("telegram.token", "must be set when telegram is a code channel")
		case n == "tggateway" && d.TGGateway.Token == "":
			return bad("delivery.tggateway.token", "must be set when tggateway is a channel")
		case n == "smshook" && d.SMSHook.Secret == "":
			return bad("delivery.smshook.secret", "must be set when smshook is a channel")
		case n == "smshook" && !httpURL(d.SMSHook.URL):
			return bad("delivery.smshook.url", "%q: want the http(s) URL of the SMS webhook", d.SMSHook.URL)
		}
	}
	for p, names := range d.Routes {
		if !e164Prefix.MatchString(p) || len(names) == 0 {
			return bad("delivery.routes", "%q: want a + and digits, with at least one channel", p)
		}
	}
	if p := d.TGGateway.ReportPath; p != "" {
		if !strings.HasPrefix(p, "/") {
			return bad("delivery.tggateway.report_path", "%q: want a path such as /hooks/tggateway", p)
		}
		if !strings.HasPrefix(c.PublicURL, "https://") || len(c.BaseURL()+p) > 256 {
			return bad("delivery.tggateway.report_path", "needs an https public_url, and the two together at most 256 bytes")
		}
	}
	if d.TGGateway.BaseURL != "" && !httpURL(d.TGGateway.BaseURL) {
		return bad("delivery.tggateway.base_url", "%q: want an http(s) URL", d.TGGateway.BaseURL)
	}
	if d.TGGateway.Timeout < 0 || d.SMSHook.Timeout < 0 || d.SMSHook.Attempts < 0 {
		return bad("delivery", "timeouts and attempts must not be negative (0 means the default)")
	}
	return nil
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
