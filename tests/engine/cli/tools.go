//go:build tools

// Package cli pins the Pulumi CLI the engine tier builds (tests/engine/run.sh): pkg/v3's go.mod
// has replace directives, so `go install pkg@version` is refused and the CLI is built from this
// module instead.
package cli

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
