package br.com.reistech.realtime;

/** JMX view of the agents' live console on this node ({@code br.com.reistech:type=Realtime}). */
public interface RealtimeMXBean {

    /** WebSocket clients connected to this node. */
    int getConnectedClients();
}
