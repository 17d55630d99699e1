//go:build tools

// Package tools pins the Jaeger programs this wrapper builds, so `go mod tidy` keeps their
// dependencies in go.sum.
package tools

import (
	_ "github.com/jaegertracing/jaeger/cmd/es-index-cleaner"
	_ "github.com/jaegertracing/jaeger/cmd/es-rollover"
	_ "github.com/jaegertracing/jaeger/cmd/jaeger"
)
