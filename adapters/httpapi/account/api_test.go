package account_test

import (
	"testing"

	"gatehouse/adapters/httpapi/account"
)

// TestNewRefusesWhatCannotServe: like every frontend's, the constructor
// checks its options and dependencies and says what is wrong.
func TestNewRefusesWhatCannotServe(t *testing.T) {
	if _, err := account.New(account.Options{}, nil, nil, nil); err == nil {
		t.Fatal("New without use cases: nil error")
	}
	for _, prefix := range []string{"v1", "/v1/"} {
		if _, err := account.New(account.Options{Prefix: prefix}, nil, nil, nil); err == nil {
			t.Errorf("New with prefix %q: nil error", prefix)
		}
	}
}
