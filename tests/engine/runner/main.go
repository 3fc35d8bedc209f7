// Command runner is the engine tier's scenarios (tests/engine/run.sh).
package main

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

func main() { fmt.Println(auto.FullyQualifiedStackName("a", "b", "c")) }
