package infra

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NewNameSuffix creates the random suffix that makes the stack's globally unique names (registry,
// MySQL server, storage account) unique. It lives in the stack's state, so names stay put.
func NewNameSuffix(ctx *pulumi.Context) (pulumi.StringOutput, error) {
	s, err := random.NewRandomString(ctx, "name-suffix", &random.RandomStringArgs{
		Length:  pulumi.Int(config.SuffixLength),
		Upper:   pulumi.Bool(false),
		Special: pulumi.Bool(false),
		Lower:   pulumi.Bool(true),
		Numeric: pulumi.Bool(true),
	})
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("create name suffix: %w", err)
	}
	return s.Result, nil
}

// uniqueName is the configured name when there is one, otherwise the generated one.
func uniqueName(configured string, suffix pulumi.StringOutput, generate func(string) string) pulumi.StringOutput {
	if configured != "" {
		return pulumi.String(configured).ToStringOutput()
	}
	return suffix.ApplyT(generate).(pulumi.StringOutput)
}
