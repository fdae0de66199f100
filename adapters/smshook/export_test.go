package smshook

import (
	"context"
	"time"
)

// SkipWaits makes c record each wait in waits instead of sleeping.
func SkipWaits(c *Channel, waits *[]time.Duration) {
	c.sleep = func(_ context.Context, d time.Duration) error {
		*waits = append(*waits, d)
		return nil
	}
}
