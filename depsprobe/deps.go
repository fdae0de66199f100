// Package depsprobe pins modules while the first packages are written; removed before landing.
package depsprobe

import (
	_ "github.com/alicebob/miniredis/v2"
	_ "github.com/getkin/kin-openapi/openapi3filter"
	_ "github.com/go-jose/go-jose/v4"
	_ "github.com/gorilla/mux"
	_ "github.com/prometheus/client_golang/prometheus/promhttp"
	_ "github.com/redis/go-redis/v9"
	_ "go.uber.org/fx"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/crypto/bcrypt"
	_ "gopkg.in/yaml.v3"
	_ "github.com/FerretDB/FerretDB/ferretdb"
	_ "go.mongodb.org/mongo-driver/v2/mongo"
)
