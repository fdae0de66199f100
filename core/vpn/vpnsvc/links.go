package vpnsvc

import (
	"context"

	"gatehouse/core/vpn"
)

// IssueLink implements ports.VPN.
func (s *Service) IssueLink(ctx context.Context, userID string) (string, error) {
	token, err := s.newToken()
	if err != nil {
		return "", err
	}
	l := vpn.SubscriptionLink{UserID: userID, TokenHash: vpn.TokenHash(token), CreatedAt: s.clock.Now()}
	if err := s.store.SaveLink(ctx, l); err != nil {
		return "", err
	}
	return token, nil
}

// RevokeLink implements ports.VPN.
func (s *Service) RevokeLink(ctx context.Context, userID string) error {
	return s.store.DeleteLink(ctx, userID)
}

// ResolveLink implements ports.VPN.
func (s *Service) ResolveLink(ctx context.Context, token string) (string, error) {
	if token == "" {
		return "", vpn.LinkNotFound()
	}
	l, err := s.store.LinkByHash(ctx, vpn.TokenHash(token))
	if err != nil {
		return "", err
	}
	return l.UserID, nil
}

// SubscriptionFeed implements ports.VPN.
func (s *Service) SubscriptionFeed(ctx context.Context, token string) (vpn.Feed, error) {
	userID, err := s.ResolveLink(ctx, token)
	if err != nil {
		return vpn.Feed{}, err
	}
	sub, err := s.activeSubscription(ctx, userID)
	if err != nil {
		return vpn.Feed{}, err
	}
	keys, err := s.Keys(ctx, userID)
	if err != nil {
		return vpn.Feed{}, err
	}
	servers := map[int64]vpn.Server{}
	feed := vpn.Feed{Subscription: sub.Effective(s.clock.Now()), Userinfo: vpn.UserinfoOf(sub, keys)}
	for _, k := range keys {
		srv, ok := servers[k.ServerID]
		if !ok {
			if srv, err = s.store.Server(ctx, k.ServerID); err != nil {
				return vpn.Feed{}, err
			}
			servers[k.ServerID] = srv
		}
		if srv.Enabled {
			feed.Keys = append(feed.Keys, vpn.FeedKey{Key: k, Server: srv.Public()})
		}
	}
	return feed, nil
}

// DynamicKey implements ports.VPN.
func (s *Service) DynamicKey(ctx context.Context, token string) (vpn.AccessKey, error) {
	if token == "" {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	k, err := s.store.KeyByDynamicHash(ctx, vpn.TokenHash(token))
	if err != nil {
		return vpn.AccessKey{}, err
	}
	if _, err := s.activeSubscription(ctx, k.UserID); err != nil {
		return vpn.AccessKey{}, err
	}
	if !k.Issued() {
		return vpn.AccessKey{}, vpn.KeyNotFound()
	}
	return k, nil
}
