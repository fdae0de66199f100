package fault

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestClassification(t *testing.T) {
	cause := io.ErrUnexpectedEOF
	tests := []struct {
		name        string
		err         error
		wantCode    Code
		wantReason  string
		wantMessage string
	}{
		{"nil", nil, "", "", "Internal error."},
		{"unclassified", errors.New("boom"), Internal, "", "Internal error."},
		{"classified", New(NotFound, "identity.user_not_found", "No such user."), NotFound, "identity.user_not_found", "No such user."},
		{"wrapped twice", fmt.Errorf("store: %w", fmt.Errorf("find: %w", New(Conflict, "identity.email_taken", "Email taken."))),
			Conflict, "identity.email_taken", "Email taken."},
		{"internal hides its message", New(Internal, "x.y", "secret detail"), Internal, "x.y", "Internal error."},
		{"wrap keeps the cause", Wrap(cause, Unavailable, "cache.unavailable", "Cache down."), Unavailable, "cache.unavailable", "Cache down."},
		{"field error", Invalidf("login", "pattern", "login must match %s", "[a-z]+"), Invalid, "invalid.login", "login must match [a-z]+"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.wantCode {
				t.Errorf("CodeOf = %q, want %q", got, tt.wantCode)
			}
			if got := ReasonOf(tt.err); got != tt.wantReason {
				t.Errorf("ReasonOf = %q, want %q", got, tt.wantReason)
			}
			if tt.err != nil {
				if got := MessageOf(tt.err); got != tt.wantMessage {
					t.Errorf("MessageOf = %q, want %q", got, tt.wantMessage)
				}
			}
		})
	}
}

func TestWrapKeepsCauseReachable(t *testing.T) {
	err := fmt.Errorf("mongostore: %w", Wrap(io.ErrUnexpectedEOF, Unavailable, "storage.unavailable", "Storage down."))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatal("the cause is not reachable through errors.Is")
	}
	if !Is(err, Unavailable) || Is(err, Internal) || Is(nil, Unavailable) {
		t.Fatal("Is does not match the code")
	}
}

func TestErrorsIsComparesCodeAndReason(t *testing.T) {
	err := fmt.Errorf("ctx: %w", New(Conflict, "identity.email_taken", "taken"))
	if !errors.Is(err, New(Conflict, "identity.email_taken", "")) {
		t.Error("same code and reason should match")
	}
	if !errors.Is(err, &Error{Code: Conflict}) {
		t.Error("a target without a reason should match any reason of its code")
	}
	if errors.Is(err, New(Conflict, "identity.login_taken", "")) || errors.Is(err, New(NotFound, "identity.email_taken", "")) {
		t.Error("different reason or code should not match")
	}
}

func TestFieldErrorsAndText(t *testing.T) {
	err := Invalidf("password", "min_length", "password must be at least %d characters", 8)
	fe, ok := As(err)
	if !ok || len(fe.Fields) != 1 || fe.Fields[0] != (FieldError{Field: "password", Rule: "min_length", Message: "password must be at least 8 characters"}) {
		t.Fatalf("fields: %+v", fe)
	}
	got := Wrap(io.EOF, Internal, "x.read", "could not read").Error()
	if got != "internal (x.read): could not read: EOF" {
		t.Fatalf("Error() = %q", got)
	}
}
