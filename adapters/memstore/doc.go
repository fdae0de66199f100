// Package memstore implements gatehouse's stores and cache in process
// memory: UserStore, SessionStore, KeyStore and Cache.
//
// Every type is safe for concurrent use and keeps the same contracts as the
// database adapters (ports/porttest proves it), so use-case tests run on it
// and a single-replica deployment may run on it. Values go in and come out
// as copies: a caller can never change stored state through a slice it
// passed or received.
package memstore
