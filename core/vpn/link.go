package vpn

import "time"

// SubscriptionLink is a user's secret subscription URL, as Marzban and
// Remnawave users know it: VPN client apps import it and fetch the user's
// current keys from it. A user has at most one; issuing another replaces
// it. Only the token's hash is stored.
type SubscriptionLink struct {
	UserID    string
	TokenHash string // TokenHash of the token in the URL
	CreatedAt time.Time
}

// Userinfo is what the subscription-userinfo header tells a client app:
// bytes sent and received, the byte budget (0: unlimited) and the expiry.
type Userinfo struct {
	Upload   int64
	Download int64
	Total    int64
	Expire   time.Time
}

// UserinfoOf sums the traffic of a user's keys under subscription s.
// Providers report transfer without direction, so it counts as download.
func UserinfoOf(s Subscription, keys []AccessKey) Userinfo {
	u := Userinfo{Total: s.TrafficLimitBytes, Expire: s.ExpiresAt}
	for _, k := range keys {
		u.Download += k.TrafficBytes
	}
	return u
}

// FeedKey is one key of a subscription feed with its server.
type FeedKey struct {
	Key    AccessKey
	Server Server // as Public returns it
}

// Feed is what a subscription link answers: the user's current keys and
// the subscription-userinfo figures.
type Feed struct {
	Subscription Subscription
	Userinfo     Userinfo
	Keys         []FeedKey
}
