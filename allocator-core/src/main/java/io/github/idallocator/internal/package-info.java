/**
 * Not API: Redis plumbing shared by every allocator (key names, Lua script composition, running scripts and
 * translating failures). Applications must not use these types; they may change or disappear in any release.
 */
@NullMarked
package io.github.idallocator.internal;

import org.jspecify.annotations.NullMarked;
