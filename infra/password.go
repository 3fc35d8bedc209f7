package infra

import (
	"fmt"

	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// passwordSpecials are the punctuation characters a generated password may hold: none of them
// needs quoting in SQL, shell, YAML or a URL, so a password can never break the thing it is
// pasted into.
const passwordSpecials = "-_.~"

// NewPassword creates a random password that stays the same across runs (it lives in state) and
// is a Pulumi secret from birth. It satisfies Azure's complexity rule (three of upper, lower,
// digit, symbol).
func NewPassword(ctx *pulumi.Context, name string, length int, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	p, err := random.NewRandomPassword(ctx, name, &random.RandomPasswordArgs{
		Length:          pulumi.Int(length),
		Special:         pulumi.Bool(true),
		OverrideSpecial: pulumi.String(passwordSpecials),
		MinUpper:        pulumi.Int(2),
		MinLower:        pulumi.Int(2),
		MinNumeric:      pulumi.Int(2),
		MinSpecial:      pulumi.Int(1),
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("create password %s: %w", name, err)
	}
	return p.Result, nil
}
