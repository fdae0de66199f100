package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// badFunc reports one problem with the key's value.
type badFunc func(key, format string, args ...any) error

// Validate checks every value and returns the first problem as an *Error.
// Sections are checked in a fixed order, and each in a fixed order, so the
// problem reported is the same on every run.
func (c Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return &Error{Key: key, Env: EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_")), Problem: fmt.Sprintf(format, args...)}
	}
	for _, check := range []func(badFunc) error{
		c.Log.validate,
		c.HTTP.validate,
		c.validateStorage,
		c.Tokens.validate,
		func(bad badFunc) error { return c.Password.validate(c.HTTP.WriteTimeout, bad) },
		c.Frontends.validate,
		c.validatePublicURL,
		c.Sessions.validate,
		func(bad badFunc) error { return c.Notify.validate(c.Dev, bad) },
		c.validateCaptcha,
		c.validateTelegram,
		c.validateDelivery,
		c.Passwordless.validate,
		c.Links.validate,
		c.VPN.validate,
		c.validateDev,
	} {
		if err := check(bad); err != nil {
			return err
		}
	}
	return nil
}

func (l Log) validate(bad badFunc) error {
	switch l.Level {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "%q: want debug, info, warn or error", l.Level)
	}
	switch l.Format {
	case "text", "json":
	default:
		return bad("log.format", "%q: want text or json", l.Format)
	}
	return nil
}

func (h HTTP) validate(bad badFunc) error {
	if _, port, err := net.SplitHostPort(h.Addr); err != nil || port == "" {
		return bad("http.addr", "%q: want host:port, e.g. 127.0.0.1:8080 or :8080", h.Addr)
	}
	for _, d := range []struct {
		key string
		d   time.Duration
	}{
		{"http.read_header_timeout", h.ReadHeaderTimeout},
		{"http.read_timeout", h.ReadTimeout},
		{"http.write_timeout", h.WriteTimeout},
		{"http.idle_timeout", h.IdleTimeout},
		{"http.shutdown_timeout", h.ShutdownTimeout},
	} {
		if d.d <= 0 {
			return bad(d.key, "%s: must be positive", d.d)
		}
	}
	if h.MaxBodyBytes < 1024 || h.MaxBodyBytes > 64<<20 {
		return bad("http.max_body_bytes", "%d: want between 1024 and 67108864", h.MaxBodyBytes)
	}
	if h.MaxHeaderBytes < 4<<10 || h.MaxHeaderBytes > 1<<20 {
		return bad("http.max_header_bytes", "%d: want between 4096 and 1048576", h.MaxHeaderBytes)
	}
	if h.AdminAddr != "" && h.AdminAddr == h.Addr {
		return bad("http.admin_addr", "%q: must differ from http.addr", h.AdminAddr)
	}
	for _, o := range h.TrustedOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			u.Path != "" || u.RawQuery != "" || u.User != nil {
			return bad("http.trusted_origins", "%q: want an origin such as https://app.example.com", o)
		}
	}
	return nil
}

// validateStorage checks the storage driver and the stores' and cache's
// addresses.
func (c Config) validateStorage(bad badFunc) error {
	switch c.StorageDriver() {
	case "sqlite":
		if c.Storage.SQLite.Path == "" && c.DataDir == "" {
			return bad("data_dir", "must not be empty when storage.sqlite.path is")
		}
		if c.Storage.SQLite.BusyTimeout < 0 {
			return bad("storage.sqlite.busy_timeout", "must not be negative (0 means 5s)")
		}
	case "mongo":
		if c.Mongo.URI == "" && c.DataDir == "" {
			return bad("data_dir", "must not be empty when the embedded database is used")
		}
	case "memory":
	default:
		return bad("storage.driver", "%q: want sqlite, mongo or memory", c.Storage.Driver)
	}
	if c.Mongo.URI != "" {
		u, err := url.Parse(c.Mongo.URI)
		if err != nil || (u.Scheme != "mongodb" && u.Scheme != "mongodb+srv") {
			return bad("mongo.uri", "want a mongodb:// or mongodb+srv:// URI")
		}
	}
	if c.Mongo.Database == "" {
		return bad("mongo.database", "must not be empty")
	}
	if c.Redis.URL != "" {
		u, err := url.Parse(c.Redis.URL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			return bad("redis.url", "want a redis:// or rediss:// URL")
		}
	}
	return nil
}

func (p Password) validate(writeTimeout time.Duration, bad badFunc) error {
	if p.MemoryKiB < 8*1024 {
		return bad("password.memory_kib", "%d: want at least 8192 (8 MiB)", p.MemoryKiB)
	}
	if p.Iterations < 1 {
		return bad("password.iterations", "must be at least 1")
	}
	if p.Parallelism < 1 {
		return bad("password.parallelism", "must be at least 1")
	}
	if p.Concurrency < 0 {
		return bad("password.concurrency", "must not be negative (0 means the CPU count)")
	}
	if p.Queue < 0 {
		return bad("password.queue", "must not be negative (0 means 32 per concurrent hash)")
	}
	// An admitted request still has its hash and the rest of its work to
	// do before the write timeout cuts its connection.
	if p.QueueWait <= 0 || p.QueueWait >= writeTimeout/2 {
		return bad("password.queue_wait", "%s: must be positive and under half of http.write_timeout (%s)",
			p.QueueWait, writeTimeout)
	}
	return nil
}

func (f Frontends) validate(bad badFunc) error {
	for _, fe := range []struct {
		key string
		f   Frontend
	}{
		{"frontends.authv1", f.AuthV1},
		{"frontends.account", f.Account},
		{"frontends.shortener", f.Shortener},
		{"frontends.vpnapi", f.VPNAPI},
		{"frontends.felmee", f.Felmee},
	} {
		if err := fe.f.validate(fe.key, bad); err != nil {
			return err
		}
	}
	return nil
}

func (c Config) validatePublicURL(bad badFunc) error {
	if c.PublicURL == "" {
		return nil
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return bad("public_url", "%q: want an absolute http(s) URL such as https://id.example.com", c.PublicURL)
	}
	return nil
}

func (s Sessions) validate(bad badFunc) error {
	if s.OpaqueIdleTTL < time.Minute {
		return bad("sessions.opaque_idle_ttl", "%s: want at least 1m", s.OpaqueIdleTTL)
	}
	if s.OpaqueMaxTTL < s.OpaqueIdleTTL {
		return bad("sessions.opaque_max_ttl", "%s: want at least opaque_idle_ttl", s.OpaqueMaxTTL)
	}
	return nil
}

// validateDev refuses dev mode beside production services unless forced.
func (c Config) validateDev(bad badFunc) error {
	if !c.Dev || c.ForceDev {
		return nil
	}
	if c.Mongo.URI != "" {
		return bad("dev", "dev mode is refused with an external mongo.uri (production); set force_dev to insist")
	}
	if c.Redis.URL != "" {
		return bad("dev", "dev mode is refused with an external redis.url (production); set force_dev to insist")
	}
	return nil
}

func (t Tokens) validate(bad badFunc) error {
	switch t.Algorithm {
	case "EdDSA", "ES256", "RS256":
	default:
		return bad("tokens.algorithm", "%q: want EdDSA, ES256 or RS256", t.Algorithm)
	}
	switch t.RSABits {
	case 2048, 3072, 4096:
	default:
		return bad("tokens.rsa_bits", "%d: want 2048, 3072 or 4096", t.RSABits)
	}
	if t.Issuer == "" {
		return bad("tokens.issuer", "must not be empty")
	}
	if t.Audience == "" {
		return bad("tokens.audience", "must not be empty")
	}
	if t.AccessTTL < time.Minute || t.AccessTTL > 24*time.Hour {
		return bad("tokens.access_ttl", "%s: want between 1m and 24h", t.AccessTTL)
	}
	if t.RefreshTTL < t.AccessTTL || t.RefreshTTL > 365*24*time.Hour {
		return bad("tokens.refresh_ttl", "%s: want at least access_ttl and at most 8760h", t.RefreshTTL)
	}
	if t.RotateEvery != 0 && t.RotateEvery < t.AccessTTL {
		return bad("tokens.rotate_every", "%s: want 0 (never) or at least access_ttl", t.RotateEvery)
	}
	return nil
}

func (f Frontend) validate(key string, bad badFunc) error {
	if f.Prefix != "" && (!strings.HasPrefix(f.Prefix, "/") || strings.HasSuffix(f.Prefix, "/")) {
		return bad(key+".prefix", "%q: want empty or a path like /auth (leading slash, no trailing slash)", f.Prefix)
	}
	return nil
}

func (n Notify) validate(dev bool, bad badFunc) error {
	switch n.Channel {
	case "", "none":
	case "log":
		if !dev {
			return bad("notify.channel", "log prints codes and links and is refused outside dev mode: use smtp")
		}
	case "smtp":
		if n.SMTP.Host == "" {
			return bad("notify.smtp.host", "must be set when notify.channel is smtp")
		}
		if n.SMTP.From == "" {
			return bad("notify.smtp.from", "must be set when notify.channel is smtp")
		}
	default:
		return bad("notify.channel", "%q: want smtp, log or none", n.Channel)
	}
	switch n.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		return bad("notify.smtp.tls", "%q: want starttls, tls or none", n.SMTP.TLS)
	}
	if n.SMTP.Port < 0 || n.SMTP.Port > 65535 {
		return bad("notify.smtp.port", "%d: want 0 (by TLS mode) or a port number", n.SMTP.Port)
	}
	if n.SMTP.Timeout <= 0 {
		return bad("notify.smtp.timeout", "must be positive")
	}
	return nil
}

func (l Links) validate(bad badFunc) error {
	if l.AliasLength < 4 || l.AliasLength > 32 {
		return bad("links.alias_length", "%d: want 4..32", l.AliasLength)
	}
	switch l.RedirectStatus {
	case 301, 302, 307, 308:
	default:
		return bad("links.redirect_status", "%d: want 301, 302, 307 or 308", l.RedirectStatus)
	}
	if l.RedirectPrefix != "" && (!strings.HasPrefix(l.RedirectPrefix, "/") || strings.HasSuffix(l.RedirectPrefix, "/")) {
		return bad("links.redirect_prefix", "%q: want empty or a path like /r", l.RedirectPrefix)
	}
	if l.FlushEvery < 10*time.Millisecond || l.FlushEvery > time.Minute {
		return bad("links.flush_every", "%s: want 10ms to 1m", l.FlushEvery)
	}
	if l.CacheSize < 0 {
		return bad("links.cache_size", "must not be negative")
	}
	return nil
}
