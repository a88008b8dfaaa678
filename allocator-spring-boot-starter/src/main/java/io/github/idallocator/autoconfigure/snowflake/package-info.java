/**
 * Auto-configuration of the Snowflake id generator and its leased worker id.
 */
@NullMarked
package io.github.idallocator.autoconfigure.snowflake;

import org.jspecify.annotations.NullMarked;
