package io.github.idallocator.sequence;

/**
 * Redis offered a sequence counter below what this instance had already seen (data was lost: a restart without
 * persistence, {@code FLUSHALL}, a failover to a replica that missed writes), or below the configured floor. The script
 * refused it and moved the counter up instead; nothing was handed out twice by this instance.
 *
 * @param sequence the sequence's name
 * @param floor the lowest id this instance could accept
 * @param newFirst the first id of the segment granted instead
 * @param dataLoss true when this instance had seen ids above the counter (the counter went backwards); false when only
 *     the configured floor lifted it
 */
public record SequenceRepair(String sequence, long floor, long newFirst, boolean dataLoss) {}
