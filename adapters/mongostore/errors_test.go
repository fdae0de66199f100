package mongostore

import (
	"context"
	"errors"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"gatehouse/core/fault"
)

// TestStorageRefusalsAreUnavailable: whatever the server refuses (a full
// disk, a read-only node) or never answers is fault.Unavailable, so the
// frontends answer 503; a local failure such as a document that does not
// decode stays internal.
func TestStorageRefusalsAreUnavailable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want fault.Code
	}{
		{"disk full", mongo.CommandError{Code: 14031, Message: "Out of disk space"}, fault.Unavailable},
		{"write refused", mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 10107, Message: "not primary"}}}, fault.Unavailable},
		{"timeout", context.DeadlineExceeded, fault.Unavailable},
		{"disconnected", mongo.ErrClientDisconnected, fault.Unavailable},
		{"decode", errors.New("error decoding key redirects: cannot decode string into an integer type"), fault.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fault.CodeOf(dbErr("op", tt.err)); got != tt.want {
				t.Fatalf("dbErr(%v) is %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}
