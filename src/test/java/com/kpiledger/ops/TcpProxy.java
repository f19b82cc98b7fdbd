package com.kpiledger.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between the service and its database, so that a test can cut the network (every connection is reset,
 * new ones too), silence it (connections stay open but no byte passes and no reset comes, as when packets are
 * dropped) and restore it, without touching either side. The listening port stays bound throughout, so that no other
 * process can take it while the network is down.
 */
final class TcpProxy implements AutoCloseable {

    private enum Mode { FORWARD, CUT, SILENT }

    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.FORWARD;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every open connection, and every new one until {@link #restore()}. */
    synchronized void cut() {
        mode = Mode.CUT;
        resetAll();
    }

    /** Keeps every connection open, old and new, but passes nothing and resets nothing, until {@link #restore()}. */
    synchronized void silence() {
        mode = Mode.SILENT;
    }

    /** Forwards again; connections that were silenced are reset, as a real network's peers would time them out. */
    synchronized void restore() {
        if (mode == Mode.SILENT) {
            resetAll();
        }
        mode = Mode.FORWARD;
    }

    private void resetAll() {
        for (Socket socket : sockets) {
            reset(socket);
        }
        sockets.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                switch (mode) {
                    case CUT -> reset(client);
                    case SILENT -> sockets.add(client);
                    default -> {
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    }
                }
            } catch (IOException closedOrRefused) {
                // the proxy was closed, or the database refused: the client sees a reset
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (mode != Mode.FORWARD) {
                        continue;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side went away
            } finally {
                reset(from);
                reset(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        resetAll();
    }
}
