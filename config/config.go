// Package config is gatehouse's one typed configuration: defaults that run
// with nothing installed, an optional YAML file, and environment overrides
// named GATEHOUSE_<SECTION>_<KEY>, validated at start with clear messages.
package config

import (
	"path/filepath"
	"strings"
	"time"
)

// Config is everything gatehouse can be told.
type Config struct {
	// Dev turns on development mode: the log notification channel may print
	// codes and links, and token cookies may travel over plain http.
	Dev bool `yaml:"dev"`
	// ForceDev allows Dev together with production-only settings.
	ForceDev bool `yaml:"force_dev"`
	// DataDir holds the SQLite database (and the embedded MongoDB-wire
	// server's files when storage.driver is mongo without a URI).
	DataDir string `yaml:"data_dir"`
	// PublicURL is how clients reach gatehouse (links in emails, short
	// links); empty: http://<http.addr>.
	PublicURL string `yaml:"public_url"`

	Log       Log       `yaml:"log"`
	HTTP      HTTP      `yaml:"http"`
	Storage   Storage   `yaml:"storage"`
	Mongo     Mongo     `yaml:"mongo"`
	Redis     Redis     `yaml:"redis"`
	Tokens    Tokens    `yaml:"tokens"`
	Password  Password  `yaml:"password"`
	Sessions  Sessions  `yaml:"sessions"`
	Notify    Notify    `yaml:"notify"`
	Captcha   Captcha   `yaml:"captcha"`
	Delivery  Delivery  `yaml:"delivery"`
	Links     Links     `yaml:"links"`
	VPN       VPN       `yaml:"vpn"`
	Frontends Frontends `yaml:"frontends"`

	// Passwordless configures sign-in by phone code and email link (contract 000).
	Passwordless Passwordless `yaml:"passwordless"`
	// Telegram configures the Telegram bot.
	Telegram Telegram `yaml:"telegram"`
}

// Sessions configures opaque session tokens (contracts without a refresh flow).
type Sessions struct {
	OpaqueIdleTTL time.Duration `yaml:"opaque_idle_ttl"` // sliding: ends after this long unused
	OpaqueMaxTTL  time.Duration `yaml:"opaque_max_ttl"`  // absolute cap
}

// Notify chooses how one-time codes and links reach people.
type Notify struct {
	// Channel is smtp, log (dev mode only) or none; empty means log in dev
	// mode and none otherwise. With none, flows that must send something
	// answer "unavailable".
	Channel string `yaml:"channel"`
	SMTP    SMTP   `yaml:"smtp"`
}

// SMTP configures email delivery.
type SMTP struct {
	Host        string        `yaml:"host"`
	Port        int           `yaml:"port"` // 0: by TLS mode (587, 465, 25)
	Username    string        `yaml:"username"`
	Password    string        `yaml:"password"`
	From        string        `yaml:"from"`
	TLS         string        `yaml:"tls"` // starttls, tls or none
	Timeout     time.Duration `yaml:"timeout"`
	ProductName string        `yaml:"product_name"`
}

// Links configures short links and the redirect.
type Links struct {
	AliasLength    int           `yaml:"alias_length"`
	RedirectPrefix string        `yaml:"redirect_prefix"` // "" : /{alias} at the root
	RedirectStatus int           `yaml:"redirect_status"` // 301, 302, 307 or 308
	FlushEvery     time.Duration `yaml:"flush_every"`     // how often redirect counts reach the store
	CacheSize      int           `yaml:"cache_size"`      // links kept in process memory
	// RefusePrivateTargets refuses link targets on private, link-local,
	// CGNAT and other non-public addresses and internal names; loopback
	// and gatehouse's own hosts are refused always.
	RefusePrivateTargets bool `yaml:"refuse_private_targets"`
}

// Log configures logging.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

// HTTP configures the HTTP server shared by every frontend.
type HTTP struct {
	Addr              string        `yaml:"addr"`
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	ReadTimeout       time.Duration `yaml:"read_timeout"`
	WriteTimeout      time.Duration `yaml:"write_timeout"`
	IdleTimeout       time.Duration `yaml:"idle_timeout"`
	ShutdownTimeout   time.Duration `yaml:"shutdown_timeout"`
	MaxBodyBytes      int64         `yaml:"max_body_bytes"`
	MaxHeaderBytes    int           `yaml:"max_header_bytes"`
	AdminAddr         string        `yaml:"admin_addr"` // "": off; /metrics stays public
	TrustProxy        bool          `yaml:"trust_proxy"`
	// TrustedOrigins are other origins (the product's web front) whose
	// pages may send cookie-authenticated state-changing requests.
	TrustedOrigins []string `yaml:"trusted_origins"`
}

// Storage chooses where durable state lives.
type Storage struct {
	// Driver is sqlite, mongo or memory; empty picks mongo when mongo.uri
	// is set and sqlite otherwise (see StorageDriver).
	Driver string `yaml:"driver"`
	SQLite SQLite `yaml:"sqlite"`
}

// SQLite configures the sqlite storage driver.
type SQLite struct {
	// Path of the database file; empty: gatehouse.db in DataDir.
	Path string `yaml:"path"`
	// BusyTimeout bounds how long a write waits for another process's lock
	// (a command run beside the service) before storage answers unavailable.
	BusyTimeout time.Duration `yaml:"busy_timeout"`
}

// SQLiteFile is the name of the SQLite database in DataDir.
const SQLiteFile = "gatehouse.db"

// StorageDriver is the effective storage driver: Storage.Driver, or when
// it is empty mongo if a MongoDB URI is configured and sqlite otherwise.
func (c Config) StorageDriver() string {
	switch {
	case c.Storage.Driver != "":
		return c.Storage.Driver
	case c.Mongo.URI != "":
		return "mongo"
	default:
		return "sqlite"
	}
}

// SQLitePath is the SQLite database file: Storage.SQLite.Path, or
// SQLiteFile in DataDir.
func (c Config) SQLitePath() string {
	if c.Storage.SQLite.Path != "" {
		return c.Storage.SQLite.Path
	}
	return filepath.Join(c.DataDir, SQLiteFile)
}

// Mongo configures the mongo storage driver.
type Mongo struct {
	// URI of a MongoDB deployment; empty starts the embedded server in DataDir.
	URI      string `yaml:"uri"`
	Database string `yaml:"database"`
}

// Redis configures the shared cache.
type Redis struct {
	// URL of a Redis server; empty keeps the cache in process memory.
	URL    string `yaml:"url"`
	Prefix string `yaml:"prefix"`
}

// Tokens configures access and refresh tokens and their signing keys.
type Tokens struct {
	Issuer      string        `yaml:"issuer"`
	Audience    string        `yaml:"audience"`
	Algorithm   string        `yaml:"algorithm"` // EdDSA, ES256 or RS256
	RSABits     int           `yaml:"rsa_bits"`  // modulus of generated RS256 keys
	AccessTTL   time.Duration `yaml:"access_ttl"`
	RefreshTTL  time.Duration `yaml:"refresh_ttl"`
	KeyFiles    []string      `yaml:"key_files"`    // PEM private keys; empty: generated and kept in storage
	RotateEvery time.Duration `yaml:"rotate_every"` // 0: never rotate generated keys
}

// Password configures password hashing (argon2id).
type Password struct {
	MemoryKiB   uint32 `yaml:"memory_kib"`
	Iterations  uint32 `yaml:"iterations"`
	Parallelism uint8  `yaml:"parallelism"`
	Concurrency int    `yaml:"concurrency"` // hashes at once; 0: CPU count
	// Queue bounds the hashes waiting for a free slot; beyond it a request is
	// answered at once with 503 and Retry-After. 0: 32 per slot.
	Queue int `yaml:"queue"`
	// QueueWait bounds one request's wait for a slot (then 503 with
	// Retry-After); under half of http.write_timeout.
	QueueWait time.Duration `yaml:"queue_wait"`
}

// Frontends switches HTTP contracts on and off and re-prefixes them.
type Frontends struct {
	AuthV1    Frontend `yaml:"authv1"`
	Account   Frontend `yaml:"account"`
	Shortener Frontend `yaml:"shortener"`
	VPNAPI    Frontend `yaml:"vpnapi"`
	Felmee    Frontend `yaml:"felmee"`
}

// Frontend is one HTTP contract's switch and mount prefix.
type Frontend struct {
	Enabled bool   `yaml:"enabled"`
	Prefix  string `yaml:"prefix"`
}

// NotifyChannel is the effective notification channel.
func (c Config) NotifyChannel() string {
	switch {
	case c.Notify.Channel != "":
		return c.Notify.Channel
	case c.Dev:
		return "log"
	default:
		return "none"
	}
}

// BaseURL is PublicURL, or http://<http.addr> when it is empty.
func (c Config) BaseURL() string {
	if c.PublicURL != "" {
		return strings.TrimSuffix(c.PublicURL, "/")
	}
	return "http://" + c.HTTP.Addr
}

// Default returns the configuration that runs with nothing installed.
func Default() Config {
	return Config{
		DataDir: "./data",
		Log:     Log{Level: "info", Format: "text"},
		HTTP: HTTP{
			Addr:              "127.0.0.1:8080",
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       15 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       120 * time.Second,
			ShutdownTimeout:   15 * time.Second,
			MaxBodyBytes:      1 << 20,
			MaxHeaderBytes:    32 << 10,
		},
		Storage: Storage{SQLite: SQLite{BusyTimeout: 5 * time.Second}},
		Mongo:   Mongo{Database: "gatehouse"},
		Redis:   Redis{Prefix: "gatehouse:"},
		Tokens: Tokens{
			Issuer:     "gatehouse",
			Audience:   "gatehouse",
			Algorithm:  "EdDSA",
			RSABits:    2048,
			AccessTTL:  30 * time.Minute,
			RefreshTTL: 30 * 24 * time.Hour,
		},
		Password: Password{MemoryKiB: 19 * 1024, Iterations: 2, Parallelism: 1, QueueWait: 2 * time.Second},
		Sessions: Sessions{OpaqueIdleTTL: 7 * 24 * time.Hour, OpaqueMaxTTL: 30 * 24 * time.Hour},
		Notify:   Notify{SMTP: SMTP{TLS: "starttls", Timeout: 15 * time.Second, ProductName: "gatehouse"}},
		Captcha:  Captcha{MinScore: 0.5, Timeout: 5 * time.Second},
		Delivery: defaultDelivery(),
		Links:    Links{AliasLength: 7, RedirectStatus: 302, FlushEvery: time.Second, CacheSize: 100_000},
		Frontends: Frontends{
			AuthV1:    Frontend{Enabled: true},
			Account:   Frontend{Enabled: true},
			Shortener: Frontend{Enabled: true},
			VPNAPI:    Frontend{Enabled: true},
			Felmee:    Frontend{Enabled: true},
		},
		VPN: defaultVPN(),

		Passwordless: defaultPasswordless(),
		Telegram:     defaultTelegram(),
	}
}
