package org.trustledger.ledger.api;

/** How an assurance came about; only face-to-face assurances earn the assurer experience points. */
public enum AssuranceKind {
    FACE_TO_FACE, TTP_ASSISTED, TTP_TOP_UP
}
