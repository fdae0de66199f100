package captcha

import (
	"fmt"
	"slices"
	"strings"
)

// The siteverify error codes the vendors share (Turnstile, hCaptcha,
// reCAPTCHA); each vendor may add its own.
const (
	CodeMissingSecret   = "missing-input-secret"
	CodeInvalidSecret   = "invalid-input-secret"
	CodeMissingResponse = "missing-input-response"
	CodeInvalidResponse = "invalid-input-response"
	CodeBadRequest      = "bad-request"
	CodeDuplicate       = "timeout-or-duplicate"
	CodeInternal        = "internal-error"
)

// MaxTokenLen bounds a token before it is sent anywhere: Turnstile documents
// 2048 characters, and no vendor issues longer ones.
const MaxTokenLen = 2048

// Verdict is what a vendor answered about one token.
type Verdict struct {
	Success    bool
	ErrorCodes []string
	// Action is the action the token was made for, when the vendor reports one.
	Action string
	// Scored says Score is meaningful (reCAPTCHA v3, hCaptcha Enterprise).
	Scored bool
	Score  float64
	// Hostname is the site the token was solved on.
	Hostname string
}

// Policy is what a verdict must show to pass.
type Policy struct {
	// MinScore is the lowest passing score of a scored verdict, 0 to 1.
	MinScore float64
	// RequireScore refuses verdicts without a score (reCAPTCHA v3: a v2 token
	// given to a v3 secret has none).
	RequireScore bool
	// Action, when set, must equal the verdict's action.
	Action string
	// RequireAction refuses a verdict that reports no action while Action is set.
	RequireAction bool
	// Hostnames, when set, lists the sites a token may come from.
	Hostnames []string
}

// CheckToken returns Required for an empty token and Invalid for one no
// vendor would accept, before anything is sent.
func CheckToken(token string) error {
	switch {
	case strings.TrimSpace(token) == "":
		return Required()
	case len(token) > MaxTokenLen:
		return Invalid("token too long")
	}
	return nil
}

// Judge decides a verdict: nil when it passes, Invalid when the token does
// not, Unavailable when the vendor failed or refused our own request (a
// wrong secret is an operator's mistake, never the client's).
func (p Policy) Judge(v Verdict) error {
	if !v.Success {
		for _, c := range v.ErrorCodes {
			switch c {
			case CodeMissingSecret, CodeInvalidSecret, CodeBadRequest, CodeInternal:
				return Unavailable(fmt.Errorf("captcha: vendor answered %s", strings.Join(v.ErrorCodes, ",")), 0)
			}
		}
		return Invalid("vendor refused the token: " + strings.Join(v.ErrorCodes, ","))
	}
	if p.Action != "" && (v.Action != "" || p.RequireAction) && v.Action != p.Action {
		return Invalid(fmt.Sprintf("action %q, want %q", v.Action, p.Action))
	}
	if len(p.Hostnames) > 0 && !slices.Contains(p.Hostnames, v.Hostname) {
		return Invalid(fmt.Sprintf("hostname %q not allowed", v.Hostname))
	}
	if !v.Scored {
		if p.RequireScore {
			return Invalid("no score")
		}
		return nil
	}
	if v.Score < p.MinScore {
		return Invalid(fmt.Sprintf("score %.2f below %.2f", v.Score, p.MinScore))
	}
	return nil
}
