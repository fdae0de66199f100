// Package config is gatehouse's one typed configuration: defaults that run
// with nothing installed, an optional YAML file, and environment overrides
// named GATEHOUSE_<SECTION>_<KEY>, validated at start with clear messages.
package config

import "time"

// Config is everything gatehouse can be told.
type Config struct {
	// Dev turns on development mode: the log notification channel may print
	// codes and links, and token cookies may travel over plain http.
	Dev bool `yaml:"dev"`
	// ForceDev allows Dev together with production-only settings.
	ForceDev bool `yaml:"force_dev"`
	// DataDir holds the embedded database.
	DataDir string `yaml:"data_dir"`

	Log       Log       `yaml:"log"`
	HTTP      HTTP      `yaml:"http"`
	Storage   Storage   `yaml:"storage"`
	Mongo     Mongo     `yaml:"mongo"`
	Redis     Redis     `yaml:"redis"`
	Tokens    Tokens    `yaml:"tokens"`
	Password  Password  `yaml:"password"`
	Frontends Frontends `yaml:"frontends"`
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
	TrustProxy        bool          `yaml:"trust_proxy"`
}

// Storage chooses where durable state lives.
type Storage struct {
	Driver string `yaml:"driver"` // mongo or memory
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
}

// Frontends switches HTTP contracts on and off and re-prefixes them.
type Frontends struct {
	AuthV1 Frontend `yaml:"authv1"`
}

// Frontend is one HTTP contract's switch and mount prefix.
type Frontend struct {
	Enabled bool   `yaml:"enabled"`
	Prefix  string `yaml:"prefix"`
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
		},
		Storage: Storage{Driver: "mongo"},
		Mongo:   Mongo{Database: "gatehouse"},
		Redis:   Redis{Prefix: "gatehouse:"},
		Tokens: Tokens{
			Issuer:     "gatehouse",
			Audience:   "gatehouse",
			Algorithm:  "EdDSA",
			AccessTTL:  30 * time.Minute,
			RefreshTTL: 30 * 24 * time.Hour,
		},
		Password: Password{MemoryKiB: 19 * 1024, Iterations: 2, Parallelism: 1},
		Frontends: Frontends{
			AuthV1: Frontend{Enabled: true},
		},
	}
}
