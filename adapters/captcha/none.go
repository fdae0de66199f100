package captcha

import (
	"context"
	"errors"

	core "gatehouse/core/captcha"
	"gatehouse/ports"
)

// None accepts every token, an empty one included: development only (the
// app refuses it outside dev mode unless forced), so a local client needs
// no captcha widget.
type None struct{}

var _ ports.Captcha = None{}

// Verify returns nil.
func (None) Verify(context.Context, string, string, string) error { return nil }

// ErrUnset is the cause of Unset's faults.
var ErrUnset = errors.New("captcha: no provider is configured")

// Unset stands in when no provider is configured outside development: every
// token fails closed with captcha.unavailable, so nothing guarded by a
// captcha is served until an operator picks a provider.
type Unset struct{}

var _ ports.Captcha = Unset{}

// Verify returns fault.Unavailable captcha.unavailable.
func (Unset) Verify(context.Context, string, string, string) error {
	return core.Unavailable(ErrUnset, 0)
}
