package captcha

import (
	"context"
	"time"
)

// SkipWaits makes c record each wait in waits instead of sleeping, so tests
// of Retry-After and backoff take no time.
func SkipWaits(c *Verifier, waits *[]time.Duration) {
	c.sleep = func(_ context.Context, d time.Duration) error {
		*waits = append(*waits, d)
		return nil
	}
}
