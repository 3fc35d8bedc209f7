// Command wordpress-aks is the Pulumi program that builds and keeps a WordPress hosting
// environment on AKS. The wiring lives in package program so that the offline plan
// (cmd/plan) and the tests run exactly what `pulumi up` runs.
package main

import (
	"github.com/example/wordpress-aks/program"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(program.Run)
}
