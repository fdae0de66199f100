package rediscache

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Options configures a Cache.
type Options struct {
	// URL selects the server and the topology:
	//   redis://[user:pass@]host:6379/0 or rediss://… for one server;
	//   redis://host:26379/0?master_name=mymaster[&addr=host2:26379] for
	//   Sentinel (host and addr are the sentinels);
	//   redis://host:7000?addr=host2:7000[&addr=…] for a Cluster (seed nodes);
	//   host1:6379,host2:6379 (no scheme): one address is one server, more
	//   are Cluster seeds.
	// Query parameters such as dial_timeout=2s, pool_size=20 and
	// skip_verify=true are go-redis's.
	URL string
	// Prefix is put before every key, so several services or tests can
	// share one Redis.
	Prefix string
}

// newClient builds the client for o.URL without connecting. Its errors
// never repeat the URL, which may hold a password.
func newClient(rawURL string) (redis.UniversalClient, error) {
	if strings.TrimSpace(rawURL) == "" {
		return nil, errors.New("URL is empty")
	}
	if !strings.Contains(rawURL, "://") {
		addrs := strings.Split(rawURL, ",")
		for i, a := range addrs {
			addrs[i] = strings.TrimSpace(a)
			if addrs[i] == "" {
				return nil, errors.New("empty address in the address list")
			}
		}
		return redis.NewUniversalClient(&redis.UniversalOptions{Addrs: addrs}), nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL
		}
		return nil, fmt.Errorf("parse URL: %w", err)
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		o, err := redis.ParseFailoverURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("parse sentinel URL: %w", err)
		}
		return redis.NewFailoverClient(o), nil
	case q.Has("addr"):
		o, err := redis.ParseClusterURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("parse cluster URL: %w", err)
		}
		return redis.NewClusterClient(o), nil
	default:
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("parse URL: %w", err)
		}
		return redis.NewClient(o), nil
	}
}

// redactedTarget names the server of rawURL for error messages, without
// credentials.
func redactedTarget(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		return u.Host
	}
	if strings.Contains(rawURL, "@") {
		return "(address hidden: it holds credentials)"
	}
	return rawURL
}

// New connects to Redis as o says and checks that it answers.
func New(ctx context.Context, o Options) (*Cache, error) {
	client, err := newClient(o.URL)
	if err != nil {
		return nil, fmt.Errorf("rediscache: %w", err)
	}
	c := &Cache{client: client, prefix: o.Prefix}
	if err := c.client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("rediscache: ping %s: %w", redactedTarget(o.URL), err)
	}
	return c, nil
}
