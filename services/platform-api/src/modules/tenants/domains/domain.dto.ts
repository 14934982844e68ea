import { ApiProperty } from '@nestjs/swagger';
import {
  DOMAIN_STATUSES,
  DOMAIN_VERIFICATION_METHODS,
  type DomainStatus,
  type DomainVerificationMethod,
  type DomainVerificationRecord,
  type TenantDomain,
} from '@dezky/contracts';
import { DomainName } from './domain-name.validation';

export class AddDomainDto {
  @ApiProperty({
    example: 'acme.eu',
    description: 'A domain name, international ones in Unicode or punycode; stored in its lower-case ASCII (punycode) form',
  })
  @DomainName()
  domain!: string;
}

export class DomainVerificationRecordDto implements DomainVerificationRecord {
  @ApiProperty({ enum: ['TXT'] }) type!: 'TXT';
  @ApiProperty({ example: 'acme.eu', description: "The record's name: the domain itself" }) name!: string;
  @ApiProperty({ example: 'dezky-verification=3q2-7wQ0V1u8JwAkq1tn5kBvI9aF3xR2', description: "The record's text, exactly" }) value!: string;
}

export class TenantDomainDto implements TenantDomain {
  @ApiProperty({ example: 'xn--bcher-kva.de', description: 'Lower-case ASCII (punycode) form' }) name!: string;
  @ApiProperty({ example: 'bücher.de', description: 'Unicode form, for display' }) displayName!: string;
  @ApiProperty({ enum: DOMAIN_STATUSES }) status!: DomainStatus;
  @ApiProperty({ type: DomainVerificationRecordDto, nullable: true, description: 'The DNS record that verifies a pending domain; null once verified' })
  verification!: DomainVerificationRecordDto | null;
  @ApiProperty() addedAt!: string;
  @ApiProperty({ type: String, nullable: true }) verifiedAt!: string | null;
  @ApiProperty({ enum: DOMAIN_VERIFICATION_METHODS, nullable: true, description: 'dns: its TXT record was found; operator: verified by hand' })
  verifiedBy!: DomainVerificationMethod | null;
}
