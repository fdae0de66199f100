package config

import "time"

// VPN configures VPN access: devices, keys and the background jobs.
type VPN struct {
	// DefaultDeviceLimit is how many devices a user without a subscription
	// may register (at sign-in through contract 001).
	DefaultDeviceLimit int `yaml:"default_device_limit"`
	// RefreshEvery is how often servers' active connections and keys'
	// traffic are fetched from the provisioners (one replica at a time).
	RefreshEvery time.Duration `yaml:"refresh_every"`
	// SettleEvery is how often the keys of ended subscriptions are revoked
	// at their servers (one replica at a time).
	SettleEvery time.Duration `yaml:"settle_every"`
	// KeyWait bounds how long a request waits for a key another request is
	// making for the same device and server.
	KeyWait time.Duration `yaml:"key_wait"`
	// ProvisionerTimeout bounds each call to a VPN server's management API
	// (Outline).
	ProvisionerTimeout time.Duration `yaml:"provisioner_timeout"`
	// AgentSecret derives each WireGuard server's agent token (`gatehouse
	// vpn server token <id>`); empty turns the agent endpoints off.
	// Changing it revokes every agent token.
	AgentSecret string `yaml:"agent_secret"`
}

// defaultVPN is the VPN section's defaults.
func defaultVPN() VPN {
	return VPN{
		DefaultDeviceLimit: 1,
		RefreshEvery:       time.Minute,
		SettleEvery:        time.Minute,
		KeyWait:            15 * time.Second,
		ProvisionerTimeout: 10 * time.Second,
	}
}

// minAgentSecret is the shortest vpn.agent_secret accepted, in bytes.
const minAgentSecret = 32

func (v VPN) validate(bad badFunc) error {
	switch {
	case v.DefaultDeviceLimit < 1 || v.DefaultDeviceLimit > 1000:
		return bad("vpn.default_device_limit", "%d: want 1..1000", v.DefaultDeviceLimit)
	case v.RefreshEvery < time.Second:
		return bad("vpn.refresh_every", "%s: want at least 1s", v.RefreshEvery)
	case v.SettleEvery < time.Second:
		return bad("vpn.settle_every", "%s: want at least 1s", v.SettleEvery)
	case v.KeyWait < 100*time.Millisecond || v.KeyWait > time.Minute:
		return bad("vpn.key_wait", "%s: want 100ms to 1m", v.KeyWait)
	case v.ProvisionerTimeout < 100*time.Millisecond || v.ProvisionerTimeout > 2*time.Minute:
		return bad("vpn.provisioner_timeout", "%s: want 100ms to 2m", v.ProvisionerTimeout)
	case v.AgentSecret != "" && len(v.AgentSecret) < minAgentSecret:
		return bad("vpn.agent_secret", "want empty (agent endpoints off) or at least %d bytes (e.g. openssl rand -hex 32)", minAgentSecret)
	}
	return nil
}
