package mongostore_test

import (
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"gatehouse/adapters/mongostore"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

// A crash between claiming a handle and writing the user leaves a claim
// behind; once it is old and its holder does not show the handle, the next
// claimant takes it over. A young claim may belong to a Create in flight.
func TestStaleHandleClaims(t *testing.T) {
	tests := []struct {
		name    string
		holder  *identity.User // stored holder of the planted claim, nil for none
		age     time.Duration
		wantErr string // fault reason, "" for success
	}{
		{"old claim of a missing user", nil, 2 * time.Hour, ""},
		{"young claim of a missing user", nil, time.Second, "identity.email_taken"},
		{"old claim of a user showing another email", &identity.User{ID: "holder", Email: "moved@example.com"}, 2 * time.Hour, ""},
		{"old claim of a user showing the email", &identity.User{ID: "holder", Email: "x@example.com"}, 2 * time.Hour, "identity.email_taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, raw := newClient(t)
			s := mongostore.NewUserStore(c)
			if tt.holder != nil {
				if _, err := s.Create(t.Context(), *tt.holder); err != nil {
					t.Fatalf("Create holder: %v", err)
				}
			}
			// The planted claim replaces whatever the holder's Create made.
			_, err := raw.Collection("user_handles").ReplaceOne(t.Context(),
				bson.D{{Key: "_id", Value: "email:x@example.com"}},
				bson.D{
					{Key: "_id", Value: "email:x@example.com"},
					{Key: "user_id", Value: "holder"},
					{Key: "claimed_at", Value: time.Now().Add(-tt.age).UTC().Truncate(time.Millisecond)},
				},
				options.Replace().SetUpsert(true))
			if err != nil {
				t.Fatalf("plant claim: %v", err)
			}

			_, err = s.Create(t.Context(), identity.User{ID: "newcomer", Email: "x@example.com"})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Create over a stale claim: %v", err)
				}
				got, err := s.ByEmail(t.Context(), "x@example.com")
				if err != nil || got.ID != "newcomer" {
					t.Fatalf("ByEmail = %q, %v; want newcomer", got.ID, err)
				}
				return
			}
			if fault.CodeOf(err) != fault.Conflict || fault.ReasonOf(err) != tt.wantErr {
				t.Fatalf("Create over a live claim: %v, want conflict %s", err, tt.wantErr)
			}
		})
	}
}

// A refused Create releases the handles it had claimed before the refusal.
func TestRefusedCreateReleasesClaims(t *testing.T) {
	c, raw := newClient(t)
	s := mongostore.NewUserStore(c)
	if _, err := s.Create(t.Context(), identity.User{ID: "a", Phone: "+15550000001"}); err != nil {
		t.Fatalf("Create: %v", err)
	}
	// login and email are claimed before phone, which is taken.
	_, err := s.Create(t.Context(), identity.User{ID: "b", Login: "bee", Email: "b@example.com", Phone: "+15550000001"})
	if fault.ReasonOf(err) != "identity.phone_taken" {
		t.Fatalf("Create with a taken phone: %v", err)
	}
	n, err := raw.Collection("user_handles").CountDocuments(t.Context(), bson.D{{Key: "user_id", Value: "b"}})
	if err != nil || n != 0 {
		t.Fatalf("claims left by the refused Create: %d, %v; want 0", n, err)
	}
	if _, err := s.Create(t.Context(), identity.User{ID: "c", Login: "bee", Email: "b@example.com"}); err != nil {
		t.Fatalf("Create with the released handles: %v", err)
	}
}

// Deleting the user with the highest Number does not free that Number.
func TestNumbersAreNeverReused(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewUserStore(c)
	for _, id := range []string{"a", "b"} {
		if _, err := s.Create(t.Context(), identity.User{ID: id}); err != nil {
			t.Fatalf("Create %s: %v", id, err)
		}
	}
	if err := s.Delete(t.Context(), "b"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	u, err := s.Create(t.Context(), identity.User{ID: "c"})
	if err != nil {
		t.Fatalf("Create c: %v", err)
	}
	if u.Number != 3 {
		t.Fatalf("Number after deleting the newest user = %d, want 3", u.Number)
	}
}
