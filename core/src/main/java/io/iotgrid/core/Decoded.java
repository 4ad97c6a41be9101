package io.iotgrid.core;

/**
 * What decoding one raw payload gives: either a {@link SensorReading} or a {@link DeadLetter} that says why it
 * could not be one. A job splits its stream on this type instead of failing on bad input.
 */
public sealed interface Decoded permits SensorReading, DeadLetter {
}
