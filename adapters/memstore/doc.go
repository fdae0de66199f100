// Package memstore implements gatehouse's driven ports in process memory:
// the stores UserStore, SessionStore, KeyStore, ChallengeStore and
// LinkStore, the Cache, and a Broadcaster that reaches the subscribers of
// this one process (every replica there is, when there is one).
//
// Every type is safe for concurrent use and keeps the same contracts as the
// database adapters (ports/porttest proves it), so use-case tests run on it
// and a single-replica deployment may run on it. Values go in and come out
// as copies: a caller can never change stored state through a slice it
// passed or received.
package memstore
