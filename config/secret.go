package config

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Secret holds a secret config value. It prints as "[secret]" in every fmt verb and in JSON, so
// an error message or a debug dump can never echo it; Output is the only way out.
type Secret struct{ value string }

// NewSecret wraps a plaintext value.
func NewSecret(v string) Secret { return Secret{value: v} }

// Set reports whether the secret has a value.
func (s Secret) Set() bool { return s.value != "" }

// String implements fmt.Stringer without revealing the value.
func (s Secret) String() string {
	if s.value == "" {
		return "[unset]"
	}
	return "[secret]"
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return s.String() }

// Format keeps every other verb (%d, %x, %q...) from printing the value.
func (s Secret) Format(f fmt.State, verb rune) {
	out := s.String()
	if verb == 'q' {
		out = strconv.Quote(out)
	}
	_, _ = io.WriteString(f, out)
}

// MarshalJSON keeps the value out of JSON dumps.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// Output returns the value as a Pulumi secret output.
func (s Secret) Output() pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(s.value)).(pulumi.StringOutput)
}

// reveal gives validation code the plaintext; it never leaves this package.
func (s Secret) reveal() string { return s.value }
