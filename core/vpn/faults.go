package vpn

import (
	"fmt"

	"gatehouse/core/fault"
)

// The stable reasons of VPN faults, as the ports document them.
const (
	ReasonServerNotFound       = "vpn.server_not_found"
	ReasonServerDisabled       = "vpn.server_disabled"
	ReasonSubscriptionNotFound = "vpn.subscription_not_found"
	ReasonSubscriptionInactive = "vpn.subscription_inactive"
	ReasonDeviceNotFound       = "vpn.device_not_found"
	ReasonDeviceLimit          = "vpn.device_limit"
	ReasonKeyNotFound          = "vpn.key_not_found"
	ReasonKeyClaimed           = "vpn.key_claimed"
	ReasonKeyPending           = "vpn.key_pending"
	ReasonAddressTaken         = "vpn.address_taken"
	ReasonPoolExhausted        = "vpn.pool_exhausted"
	ReasonLinkNotFound         = "vpn.link_not_found"
	ReasonLinkTaken            = "vpn.link_taken"
	ReasonLimitInvalid         = "vpn.limit_invalid"
	ReasonProvisionerDown      = "vpn.provisioner_unavailable"
	ReasonNoProvisioner        = "vpn.provisioner_missing"
)

// ServerNotFound is the fault for an unknown server ID.
func ServerNotFound() error {
	return fault.New(fault.NotFound, ReasonServerNotFound, "Server not found.")
}

// ServerDisabled is the fault for a key asked of a disabled server.
func ServerDisabled() error {
	return fault.New(fault.NotFound, ReasonServerDisabled, "This server is not available.")
}

// SubscriptionNotFound is the fault for a user who never had a subscription.
func SubscriptionNotFound() error {
	return fault.New(fault.NotFound, ReasonSubscriptionNotFound, "No subscription.")
}

// SubscriptionInactive is the fault for a key asked without an active
// subscription (none, expired or cancelled).
func SubscriptionInactive() error {
	return fault.New(fault.Forbidden, ReasonSubscriptionInactive,
		"Your subscription is not active. Renew it to get VPN keys.")
}

// DeviceNotFound is the fault for a device the user does not have.
func DeviceNotFound() error {
	return fault.New(fault.NotFound, ReasonDeviceNotFound, "Device not found.")
}

// DeviceLimit is the fault for a new device beyond the subscription's limit.
func DeviceLimit(limit int) error {
	return fault.New(fault.Forbidden, ReasonDeviceLimit, fmt.Sprintf(
		"Device limit reached: your subscription allows %d %s. "+
			"Remove a device you no longer use in your account's device list to free a slot, then sign in again.",
		limit, plural(limit, "device", "devices")))
}

// KeyNotFound is the fault for an unknown key or dynamic key token.
func KeyNotFound() error {
	return fault.New(fault.NotFound, ReasonKeyNotFound, "Key not found.")
}

// KeyClaimed is the store's answer to a claim of a slot that has a live key.
func KeyClaimed() error {
	return fault.New(fault.Conflict, ReasonKeyClaimed, "A key for this device and server exists.")
}

// KeyPending is the fault for a key another request is still making when
// this one stopped waiting for it.
func KeyPending() error {
	return fault.New(fault.Unavailable, ReasonKeyPending, "The key is being made; try again in a moment.")
}

// AddressTaken is the store's answer to a claim of an address in use.
func AddressTaken() error {
	return fault.New(fault.Conflict, ReasonAddressTaken, "This address is in use.")
}

// PoolExhausted is the fault for a WireGuard server with no free client address.
func PoolExhausted() error {
	return fault.New(fault.Unavailable, ReasonPoolExhausted, "This server is full. Choose another server.")
}

// LinkNotFound is the fault for an unknown or revoked subscription link.
func LinkNotFound() error {
	return fault.New(fault.NotFound, ReasonLinkNotFound, "Subscription link not found.")
}

// LinkTaken is the store's answer to a link whose hash another user's has.
func LinkTaken() error {
	return fault.New(fault.Conflict, ReasonLinkTaken, "This subscription link is taken.")
}

// LimitInvalid is the store's answer to a listing asked with a limit below 1.
func LimitInvalid() error {
	return fault.New(fault.Invalid, ReasonLimitInvalid, "limit must be at least 1")
}

// ProvisionerDown is the fault for a VPN server whose management side did
// not answer or refused; cause is kept for logs only.
func ProvisionerDown(cause error) error {
	return fault.Wrap(cause, fault.Unavailable, ReasonProvisionerDown,
		"The VPN server is not reachable right now. Try again later or choose another server.")
}

// NoProvisioner is the fault for a server whose protocol this gatehouse
// was not configured to provision.
func NoProvisioner(p Protocol) error {
	return fault.New(fault.Unavailable, ReasonNoProvisioner,
		fmt.Sprintf("Keys for %s servers are not available here.", p))
}

// invalid is a fault.Invalid on one field with a human message.
func invalid(field, rule, msg string) error {
	return fault.Invalidf(field, rule, "%s", msg)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
