package mongostore_test

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"gatehouse/adapters/mongostore"
	"gatehouse/core/fault"
)

// A user stored before versions existed has no version field: it reads as
// Version 0, and an Update carrying 0 succeeds once and stores Version 1.
func TestUserWithoutVersionField(t *testing.T) {
	c, db := newClient(t)
	s := mongostore.NewUserStore(c)
	_, err := db.Collection("users").InsertOne(t.Context(), bson.D{
		{Key: "_id", Value: "old"}, {Key: "number", Value: int64(1)}, {Key: "first_name", Value: "Old"},
	})
	if err != nil {
		t.Fatalf("plant a versionless user: %v", err)
	}
	u, err := s.ByID(t.Context(), "old")
	if err != nil || u.Version != 0 || u.FirstName != "Old" {
		t.Fatalf("ByID = %+v, %v; want Version 0, FirstName Old", u, err)
	}

	u.FirstName = "Renamed"
	if err := s.Update(t.Context(), u); err != nil {
		t.Fatalf("Update at Version 0: %v", err)
	}
	got, err := s.ByID(t.Context(), "old")
	if err != nil || got.Version != 1 || got.FirstName != "Renamed" {
		t.Fatalf("after Update: %+v, %v; want Version 1, FirstName Renamed", got, err)
	}
	if err := s.Update(t.Context(), u); fault.ReasonOf(err) != "identity.stale_user" {
		t.Fatalf("second Update at Version 0: %v, want identity.stale_user", err)
	}
	if got, err := s.ByID(t.Context(), "old"); err != nil || got.Version != 1 {
		t.Fatalf("after the stale Update: Version %d, %v; want 1", got.Version, err)
	}
	got.Description = "edited at Version 1"
	if err := s.Update(t.Context(), got); err != nil {
		t.Fatalf("Update at Version 1: %v", err)
	}
}
