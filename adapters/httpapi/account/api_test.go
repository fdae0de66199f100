package account_test

import (
	"testing"

	"gatehouse/adapters/httpapi/account"
)

// TestNewRefusesWhatCannotServe: like every frontend's, the constructor
// checks its dependencies and says what is missing.
func TestNewRefusesWhatCannotServe(t *testing.T) {
	if _, err := account.New(account.Options{}, nil, nil, nil); err == nil {
		t.Fatal("New without use cases: nil error")
	}
}
