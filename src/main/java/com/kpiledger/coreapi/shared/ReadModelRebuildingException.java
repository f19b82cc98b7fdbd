package com.kpiledger.coreapi.shared;

/** A read model is being rebuilt; its answers would be partial, so none is given until it has caught up. */
public class ReadModelRebuildingException extends RuntimeException {

    private final String readModel;
    private final String progress;

    public ReadModelRebuildingException(String readModel, String progress) {
        super("The read model '" + readModel + "' is being rebuilt (" + progress + "); retry when it has caught up");
        this.readModel = readModel;
        this.progress = progress;
    }

    public String readModel() {
        return readModel;
    }

    public String progress() {
        return progress;
    }
}
