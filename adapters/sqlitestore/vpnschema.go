package sqlitestore

// vpnMigration is schema step 4: VPN servers, subscriptions, devices, keys,
// WireGuard address claims, agents' peer reports and subscription links.
//
// Server and device IDs are AUTOINCREMENT, so an ID is never given twice.
// One live key per user, device and server is a partial unique index over
// the unrevoked keys; one key per address is the primary key of
// vpn_addresses. Protocol settings and key material are JSON, read only
// whole.
const vpnMigration = `
CREATE TABLE vpn_servers (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	country  TEXT NOT NULL,
	city     TEXT NOT NULL,
	ping_url TEXT NOT NULL,
	endpoint TEXT NOT NULL,
	protocol TEXT NOT NULL,
	capacity INTEGER NOT NULL,
	enabled  INTEGER NOT NULL,
	settings TEXT NOT NULL
) STRICT;

CREATE TABLE vpn_subscriptions (
	user_id       TEXT PRIMARY KEY,
	plan          TEXT NOT NULL,
	status        TEXT NOT NULL,
	started_at    INTEGER,
	expires_at    INTEGER,
	device_limit  INTEGER NOT NULL,
	traffic_limit INTEGER NOT NULL,
	updated_at    INTEGER,
	settled_at    INTEGER
) STRICT;
CREATE INDEX vpn_subscriptions_unsettled ON vpn_subscriptions (expires_at, user_id) WHERE settled_at IS NULL;

CREATE TABLE vpn_devices (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    TEXT NOT NULL,
	client_id  TEXT NOT NULL,
	name       TEXT NOT NULL,
	created_at INTEGER,
	last_seen  INTEGER,
	UNIQUE (user_id, client_id)
) STRICT;

CREATE TABLE vpn_keys (
	id            TEXT PRIMARY KEY,
	user_id       TEXT NOT NULL,
	device_id     INTEGER NOT NULL,
	server_id     INTEGER NOT NULL,
	protocol      TEXT NOT NULL,
	name          TEXT NOT NULL,
	claimed_at    INTEGER,
	issued_at     INTEGER,
	revoked_at    INTEGER,
	material      TEXT NOT NULL,
	dynamic_hash  TEXT NOT NULL,
	traffic_bytes INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX vpn_keys_slot ON vpn_keys (user_id, device_id, server_id) WHERE revoked_at IS NULL;
CREATE INDEX vpn_keys_user ON vpn_keys (user_id, claimed_at, id);
CREATE INDEX vpn_keys_server ON vpn_keys (server_id, claimed_at, id) WHERE revoked_at IS NULL;
CREATE INDEX vpn_keys_dynamic ON vpn_keys (dynamic_hash);

CREATE TABLE vpn_addresses (
	server_id INTEGER NOT NULL,
	address   TEXT NOT NULL,
	key_id    TEXT NOT NULL,
	PRIMARY KEY (server_id, address)
) STRICT;
CREATE INDEX vpn_addresses_key ON vpn_addresses (key_id);

CREATE TABLE vpn_peer_stats (
	server_id INTEGER PRIMARY KEY,
	stats     TEXT NOT NULL
) STRICT;

CREATE TABLE vpn_links (
	token_hash TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL UNIQUE,
	created_at INTEGER
) STRICT;
`
