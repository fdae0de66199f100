package usercache

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gatehouse/ports"
)

// subscription follows invalidations. When it is lost, invalidations may
// have been missed: every copy goes, nothing is cached until it subscribes
// again, and the first fills after that come from reads begun afterwards.
func (s *Store) subscription() *ports.Subscription {
	return &ports.Subscription{
		Bus: s.bus, Channel: channel, Log: s.log,
		Deliver: func(_ context.Context, msg []byte) {
			id, version, ok := decodeInvalidation(msg)
			if !ok {
				s.log.Warn("users: undecodable invalidation", "msg", string(msg))
				return
			}
			s.local.drop(id, version, s.clock.Now())
		},
		Lost:    func() { s.local.setSubscribed(false) },
		Resumed: func() { s.local.setSubscribed(true) },
	}
}

// Start subscribes to invalidations and starts caching. It returns once the
// subscription is in place; it holds until Stop.
func (s *Store) Start(ctx context.Context) error {
	if err := s.sub.Start(ctx); err != nil {
		return fmt.Errorf("usercache: %w", err)
	}
	s.local.setSubscribed(true)
	return nil
}

// Stop ends the subscription and the caching; reads go to the store.
func (s *Store) Stop(ctx context.Context) error {
	err := s.sub.Stop(ctx)
	s.local.setSubscribed(false)
	return err
}

// encodeInvalidation is the message that user id changed to version.
func encodeInvalidation(id string, version int64) []byte {
	return []byte(strconv.FormatInt(version, 10) + " " + id)
}

// decodeInvalidation reads encodeInvalidation's message.
func decodeInvalidation(msg []byte) (id string, version int64, ok bool) {
	v, id, found := strings.Cut(string(msg), " ")
	if !found || id == "" {
		return "", 0, false
	}
	version, err := strconv.ParseInt(v, 10, 64)
	if err != nil || version < 1 {
		return "", 0, false
	}
	return id, version, true
}
