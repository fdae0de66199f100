package mongostore

import (
	"strconv"

	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// identityArchived maps the collections of users, sessions, keys,
// challenges and links onto their documents.
func identityArchived() map[ports.Collection]archived {
	return map[ports.Collection]archived{
		ports.CollUsers: {name: colUsers, put: putUser,
			decode: decodeAs(func(d userDoc) ports.Record { return ports.Record{Key: d.ID, User: d.user()} })},
		ports.CollUserNumbers: {name: colUserNumbers, intKey: true,
			decode: decodeAs(func(d numberDoc) ports.Record {
				return ports.Record{Key: strconv.FormatInt(d.Number, 10), Number: ports.UserNumber{Number: d.Number, UserID: d.UserID}}
			}),
			doc: func(r ports.Record) any { return numberDoc{Number: r.Number.Number, UserID: r.Number.UserID} }},
		ports.CollFamilies: {name: colFamilies,
			decode: decodeAs(func(d familyDoc) ports.Record { return ports.Record{Key: d.ID, Family: d.family()} }),
			doc:    func(r ports.Record) any { return toFamilyDoc(r.Family) }},
		ports.CollRefreshTokens: {name: colRefresh,
			decode: decodeAs(func(d refreshDoc) ports.Record { return ports.Record{Key: d.Hash, Refresh: d.token()} }),
			doc:    func(r ports.Record) any { return toRefreshDoc(r.Refresh) }},
		ports.CollRefreshUses: {name: colRefreshUses,
			decode: decodeAs(func(d refreshUseDoc) ports.Record {
				return ports.Record{Key: d.Hash, Use: ports.Use{UserID: d.UserID, At: fromDBTime(d.UsedAt)}}
			}),
			doc: func(r ports.Record) any {
				return refreshUseDoc{Hash: r.Key, UserID: r.Use.UserID, UsedAt: toDBTime(r.Use.At)}
			}},
		ports.CollDevices: {name: colDevices,
			decode: decodeAs(func(d deviceDoc) ports.Record { return ports.Record{Key: d.ID, Device: d.device()} }),
			doc:    func(r ports.Record) any { return toDeviceDoc(r.Device) }},
		ports.CollSigningKeys: {name: colKeys,
			decode: decodeAs(func(d keyDoc) ports.Record { return ports.Record{Key: d.ID, SigningKey: d.key()} }),
			doc:    func(r ports.Record) any { return toKeyDoc(r.SigningKey) }},
		ports.CollChallenges: {name: colChallenges,
			decode: decodeAs(func(d challengeDoc) ports.Record { return ports.Record{Key: d.ID, Challenge: d.challenge()} }),
			doc:    func(r ports.Record) any { return toChallengeDoc(r.Challenge) }},
		ports.CollChallengeUses: {name: colChalUses,
			decode: decodeAs(func(d challengeUseDoc) ports.Record {
				return ports.Record{Key: d.ID, Use: ports.Use{ExpiresAt: fromDBTime(d.ExpiresAt)}}
			}),
			doc: func(r ports.Record) any { return challengeUseDoc{ID: r.Key, ExpiresAt: toDBTime(r.Use.ExpiresAt)} }},
		ports.CollLinks: {name: colLinks,
			decode: decodeAs(func(d linkDoc) ports.Record { return ports.Record{Key: d.ID, Link: d.link()} }),
			doc:    func(r ports.Record) any { return toLinkDoc(r.Link) }},
	}
}

// key returns the domain key of d.
func (d keyDoc) key() sessions.SigningKey {
	return sessions.SigningKey{
		ID: d.ID, Algorithm: d.Algorithm, Generation: d.Generation, PrivatePEM: d.PrivatePEM, PublicPEM: d.PublicPEM,
		CreatedAt: fromDBTime(d.CreatedAt), RetiredAt: fromDBTime(d.RetiredAt), NotAfter: fromDBTime(d.NotAfter),
	}
}

func toKeyDoc(k sessions.SigningKey) keyDoc {
	return keyDoc{
		ID: k.ID, Algorithm: k.Algorithm, Generation: k.Generation, PrivatePEM: k.PrivatePEM, PublicPEM: k.PublicPEM,
		CreatedAt: toDBTime(k.CreatedAt), RetiredAt: toDBTime(k.RetiredAt), NotAfter: toDBTime(k.NotAfter),
	}
}
