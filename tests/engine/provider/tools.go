//go:build tools

// Package provider pins the kubernetes provider the engine tier builds (tests/engine/run.sh).
// The provider's main package embeds two generated files, so run.sh builds it from a copy of the
// module's own cmd/pulumi-resource-kubernetes made at build time; this import only keeps the
// module's requirements complete for `go mod tidy`.
package provider

import _ "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
