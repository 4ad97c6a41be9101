package io.iotgrid.sinks;

/** The request method {@link CoapSinks} sends each item with. */
public enum CoapMethod {

    /** Replace the state of the resource with the item (RFC 7252 section 5.8.3); the default. */
    PUT,

    /** Hand the item to the resource to process, e.g. append it to a collection (RFC 7252 section 5.8.2). */
    POST
}
