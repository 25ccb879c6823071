// Base58 (Bitcoin alphabet, Solana's) from the bs58 package.
import bs58 from 'bs58';

export default bs58;
