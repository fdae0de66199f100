package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// Validate checks every value and returns the first problem as an *Error.
func (c Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return &Error{Key: key, Env: EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_")), Problem: fmt.Sprintf(format, args...)}
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "%q: want debug, info, warn or error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		return bad("log.format", "%q: want text or json", c.Log.Format)
	}
	if _, port, err := net.SplitHostPort(c.HTTP.Addr); err != nil || port == "" {
		return bad("http.addr", "%q: want host:port, e.g. 127.0.0.1:8080 or :8080", c.HTTP.Addr)
	}
	for key, d := range map[string]time.Duration{
		"http.read_header_timeout": c.HTTP.ReadHeaderTimeout,
		"http.read_timeout":        c.HTTP.ReadTimeout,
		"http.write_timeout":       c.HTTP.WriteTimeout,
		"http.idle_timeout":        c.HTTP.IdleTimeout,
		"http.shutdown_timeout":    c.HTTP.ShutdownTimeout,
	} {
		if d <= 0 {
			return bad(key, "%s: must be positive", d)
		}
	}
	if c.HTTP.MaxBodyBytes < 1024 || c.HTTP.MaxBodyBytes > 64<<20 {
		return bad("http.max_body_bytes", "%d: want between 1024 and 67108864", c.HTTP.MaxBodyBytes)
	}
	if c.HTTP.MaxHeaderBytes < 4<<10 || c.HTTP.MaxHeaderBytes > 1<<20 {
		return bad("http.max_header_bytes", "%d: want between 4096 and 1048576", c.HTTP.MaxHeaderBytes)
	}
	if c.HTTP.AdminAddr != "" && c.HTTP.AdminAddr == c.HTTP.Addr {
		return bad("http.admin_addr", "%q: must differ from http.addr", c.HTTP.AdminAddr)
	}
	for _, o := range c.HTTP.TrustedOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			u.Path != "" || u.RawQuery != "" || u.User != nil {
			return bad("http.trusted_origins", "%q: want an origin such as https://app.example.com", o)
		}
	}
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
	if err := c.Tokens.validate(bad); err != nil {
		return err
	}
	if c.Password.MemoryKiB < 8*1024 {
		return bad("password.memory_kib", "%d: want at least 8192 (8 MiB)", c.Password.MemoryKiB)
	}
	if c.Password.Iterations < 1 {
		return bad("password.iterations", "must be at least 1")
	}
	if c.Password.Parallelism < 1 {
		return bad("password.parallelism", "must be at least 1")
	}
	if c.Password.Concurrency < 0 {
		return bad("password.concurrency", "must not be negative (0 means the CPU count)")
	}
	if c.Password.Queue < 0 {
		return bad("password.queue", "must not be negative (0 means 32 per concurrent hash)")
	}
	// An admitted request still has its hash and the rest of its work to
	// do before the write timeout cuts its connection.
	if c.Password.QueueWait <= 0 || c.Password.QueueWait >= c.HTTP.WriteTimeout/2 {
		return bad("password.queue_wait", "%s: must be positive and under half of http.write_timeout (%s)",
			c.Password.QueueWait, c.HTTP.WriteTimeout)
	}
	for key, f := range map[string]Frontend{
		"frontends.authv1":    c.Frontends.AuthV1,
		"frontends.account":   c.Frontends.Account,
		"frontends.shortener": c.Frontends.Shortener,
	} {
		if err := f.validate(key, bad); err != nil {
			return err
		}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return bad("public_url", "%q: want an absolute http(s) URL such as https://id.example.com", c.PublicURL)
		}
	}
	if c.Sessions.OpaqueIdleTTL < time.Minute {
		return bad("sessions.opaque_idle_ttl", "%s: want at least 1m", c.Sessions.OpaqueIdleTTL)
	}
	if c.Sessions.OpaqueMaxTTL < c.Sessions.OpaqueIdleTTL {
		return bad("sessions.opaque_max_ttl", "%s: want at least opaque_idle_ttl", c.Sessions.OpaqueMaxTTL)
	}
	if err := c.Notify.validate(c.Dev, bad); err != nil {
		return err
	}
	if err := c.Links.validate(bad); err != nil {
		return err
	}
	if c.Dev && !c.ForceDev {
		if c.Mongo.URI != "" {
			return bad("dev", "dev mode is refused with an external mongo.uri (production); set force_dev to insist")
		}
		if c.Redis.URL != "" {
			return bad("dev", "dev mode is refused with an external redis.url (production); set force_dev to insist")
		}
	}
	return nil
}

func (t Tokens) validate(bad func(string, string, ...any) error) error {
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

func (f Frontend) validate(key string, bad func(string, string, ...any) error) error {
	if f.Prefix != "" && (!strings.HasPrefix(f.Prefix, "/") || strings.HasSuffix(f.Prefix, "/")) {
		return bad(key+".prefix", "%q: want empty or a path like /auth (leading slash, no trailing slash)", f.Prefix)
	}
	return nil
}

func (n Notify) validate(dev bool, bad func(string, string, ...any) error) error {
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

func (l Links) validate(bad func(string, string, ...any) error) error {
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
