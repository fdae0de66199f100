package mongostore

import (
	"time"

	"gatehouse/core/identity"
)

// challengeDoc is a challenge as stored in colChallenges, keyed by its ID
// (the secret's hash).
type challengeDoc struct {
	ID          string     `bson:"_id"`
	Purpose     string     `bson:"purpose"`
	UserID      string     `bson:"user_id"`
	Target      string     `bson:"target"`
	CreatedAt   *time.Time `bson:"created_at"`
	ExpiresAt   *time.Time `bson:"expires_at"`
	MaxAttempts int        `bson:"max_attempts"`
}

func toChallengeDoc(c identity.Challenge) challengeDoc {
	return challengeDoc{
		ID:          c.ID,
		Purpose:     string(c.Purpose),
		UserID:      c.UserID,
		Target:      c.Target,
		CreatedAt:   toDBTime(c.CreatedAt),
		ExpiresAt:   toDBTime(c.ExpiresAt),
		MaxAttempts: c.MaxAttempts,
	}
}

func (d challengeDoc) challenge() identity.Challenge {
	return identity.Challenge{
		ID:          d.ID,
		Purpose:     identity.Purpose(d.Purpose),
		UserID:      d.UserID,
		Target:      d.Target,
		CreatedAt:   fromDBTime(d.CreatedAt),
		ExpiresAt:   fromDBTime(d.ExpiresAt),
		MaxAttempts: d.MaxAttempts,
	}
}

// challengeUseDoc is the single use of a challenge, in colChalUses:
// inserting it under the challenge's ID is the atomic claim. It repeats
// the challenge's expiry so that it is pruned with it.
type challengeUseDoc struct {
	ID        string     `bson:"_id"`
	ExpiresAt *time.Time `bson:"expires_at"`
}
